package nodenogg.persistence.sqlite;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds Yjs v1 updates by hand for tests that must not depend on the engine: each update appends
 * {@code text} to the root YText {@code "t"} as client {@code client} at clock {@code clock}, with
 * the previous character of the same client as its left origin. The layout follows yjs {@code
 * writeClientsStructs}/{@code Item.write} (info byte 4 = ContentString; 0x80 = has origin; without
 * origin the parent is written as varuint 1 + root name); the delete set is empty.
 */
public final class TestUpdates {
  private TestUpdates() {}

  public static byte[] text(long client, long clock, String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varUint(out, 1); // one client group
    varUint(out, 1); // one struct
    varUint(out, client);
    varUint(out, clock);
    if (clock == 0) {
      out.write(0x04);
      varUint(out, 1);
      string(out, "t");
    } else {
      out.write(0x84);
      varUint(out, client);
      varUint(out, clock - 1);
    }
    string(out, text);
    varUint(out, 0); // empty delete set
    return out.toByteArray();
  }

  static void varUint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varUint(out, b.length);
    out.writeBytes(b);
  }
}
