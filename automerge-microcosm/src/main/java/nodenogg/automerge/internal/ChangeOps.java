package nodenogg.automerge.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a set of encoded Automerge changes touches, read from the changes' operation columns without
 * the library: the objects their operations act on ({@code counter@actorhex}, the library's {@code
 * ObjectId.toString()}) and, for operations on the root map, the keys. This is how a microcosm
 * finds the entities a remote change touched: the library's own patches ({@code makePatches},
 * {@code diff}) cannot be used with org.automerge 0.0.7, whose JNI layer aborts the JVM when a
 * patch flags a conflict.
 *
 * <p>Format (Automerge binary format, change chunk): after deps, actor, seq, start op, time,
 * message and other actors come the column metadata (count, then spec and length per column) and
 * the column data. Columns used here: object actor (spec 1) and counter (2), key string (21),
 * action (66) whose length is the number of operations. Actor and integer columns are RLE of LEB128
 * integers, string columns RLE of length-prefixed UTF-8; a run is a signed count: positive = that
 * many copies of one value, negative = that many literal values, zero = a run of nulls (count
 * follows). An absent column is all nulls; a null object is the root. Stateless, thread-safe.
 */
public final class ChangeOps {
  private ChangeOps() {}

  /** The root map's object id string. */
  public static final String ROOT = "_root";

  /**
   * What {@code bytes} touch.
   *
   * @param everything true if the bytes hold a saved document (which says nothing per operation):
   *     re-read all
   */
  public record Touched(boolean everything, Set<String> rootKeys, Set<String> objects) {}

  private static final int OBJ_ACTOR = 1;
  private static final int OBJ_CTR = 2;
  private static final int KEY_STR = 21;
  private static final int ACTION = 66;

  /**
   * Reads encoded changes (as {@code encodeChangesSince} gives them).
   *
   * @throws IllegalArgumentException if the bytes are not well-formed changes
   */
  public static Touched read(byte[] bytes) {
    Set<String> keys = new HashSet<>();
    Set<String> objects = new HashSet<>();
    boolean everything = false;
    int[] pos = {0};
    while (pos[0] < bytes.length) {
      if (bytes.length - pos[0] < 9) {
        throw new IllegalArgumentException("truncated chunk header");
      }
      pos[0] += 8;
      int type = bytes[pos[0]++] & 0xff;
      long len = Chunks.uleb(bytes, pos);
      if (len > bytes.length - pos[0]) {
        throw new IllegalArgumentException("chunk longer than the bytes");
      }
      int start = pos[0];
      int end = start + (int) len;
      pos[0] = end;
      if (type == 0) {
        everything = true;
      } else if (type == 1) {
        change(bytes, start, end, keys, objects);
      } else if (type == 2) {
        byte[] body = Chunks.inflate(bytes, start, end);
        change(body, 0, body.length, keys, objects);
      } else {
        throw new IllegalArgumentException("unknown chunk type " + type);
      }
    }
    return new Touched(everything, keys, objects);
  }

  private static void change(byte[] b, int start, int end, Set<String> keys, Set<String> objects) {
    int[] pos = {start};
    long deps = Chunks.uleb(b, pos);
    skip(b, pos, deps * Chunks.HASH_BYTES, end);
    List<String> actors = new ArrayList<>();
    actors.add(hex(bytes(b, pos, end)));
    Chunks.uleb(b, pos); // seq
    Chunks.uleb(b, pos); // start op
    skipLeb(b, pos, end); // time (signed LEB128)
    long messageLen = Chunks.uleb(b, pos);
    skip(b, pos, messageLen, end);
    long others = Chunks.uleb(b, pos);
    for (long i = 0; i < others; i++) {
      actors.add(hex(bytes(b, pos, end)));
    }
    long columns = Chunks.uleb(b, pos);
    int[] spec = new int[(int) Math.min(columns, 64)];
    long[] length = new long[spec.length];
    if (columns > 64) {
      throw new IllegalArgumentException("a change with " + columns + " columns");
    }
    for (int i = 0; i < columns; i++) {
      spec[i] = (int) Chunks.uleb(b, pos);
      length[i] = Chunks.uleb(b, pos);
    }
    int at = pos[0];
    int objActor = -1;
    int objCtr = -1;
    int keyStr = -1;
    int action = -1;
    int[] offsets = new int[spec.length];
    for (int i = 0; i < spec.length; i++) {
      if (length[i] > end - at) {
        throw new IllegalArgumentException("column runs past its change");
      }
      offsets[i] = at;
      at += (int) length[i];
      switch (spec[i]) {
        case OBJ_ACTOR -> objActor = i;
        case OBJ_CTR -> objCtr = i;
        case KEY_STR -> keyStr = i;
        case ACTION -> action = i;
        default -> {}
      }
    }
    if (action < 0) {
      return; // no operations
    }
    int ops = new Rle(b, offsets[action], offsets[action] + (int) length[action], false).count();
    Rle actorCol =
        objActor < 0
            ? null
            : new Rle(b, offsets[objActor], offsets[objActor] + (int) length[objActor], false);
    Rle ctrCol =
        objCtr < 0
            ? null
            : new Rle(b, offsets[objCtr], offsets[objCtr] + (int) length[objCtr], false);
    Rle keyCol =
        keyStr < 0
            ? null
            : new Rle(b, offsets[keyStr], offsets[keyStr] + (int) length[keyStr], true);
    for (int i = 0; i < ops; i++) {
      Object a = actorCol == null ? null : actorCol.next();
      Object c = ctrCol == null ? null : ctrCol.next();
      Object k = keyCol == null ? null : keyCol.next();
      if (a == null || c == null) {
        if (k instanceof String s) {
          keys.add(s);
        }
      } else {
        long actor = (Long) a;
        if (actor < 0 || actor >= actors.size()) {
          throw new IllegalArgumentException(
              "operation names actor " + actor + " of " + actors.size());
        }
        objects.add(c + "@" + actors.get((int) actor));
      }
    }
  }

  private static void skipLeb(byte[] b, int[] pos, int end) {
    for (int i = 0; i < 10; i++) {
      if (pos[0] >= end) {
        throw new IllegalArgumentException("truncated LEB128 number");
      }
      if ((b[pos[0]++] & 0x80) == 0) {
        return;
      }
    }
    throw new IllegalArgumentException("LEB128 number too long");
  }

  private static void skip(byte[] b, int[] pos, long n, int end) {
    if (n < 0 || n > end - pos[0]) {
      throw new IllegalArgumentException("field runs past its change");
    }
    pos[0] += (int) n;
  }

  private static byte[] bytes(byte[] b, int[] pos, int end) {
    long n = Chunks.uleb(b, pos);
    if (n > end - pos[0]) {
      throw new IllegalArgumentException("field runs past its change");
    }
    byte[] out = Arrays.copyOfRange(b, pos[0], pos[0] + (int) n);
    pos[0] += (int) n;
    return out;
  }

  private static String hex(byte[] b) {
    return Chunks.hex(b);
  }

  /**
   * An RLE column of LEB128 integers or length-prefixed strings; {@link #next()} gives null past
   * its end.
   */
  private static final class Rle {
    private final byte[] b;
    private final int end;
    private final boolean strings;
    private final int[] pos;
    private long count;
    private boolean literal;
    private Object value;

    Rle(byte[] b, int start, int end, boolean strings) {
      this.b = b;
      this.end = end;
      this.strings = strings;
      this.pos = new int[] {start};
    }

    Object next() {
      while (count == 0) {
        if (pos[0] >= end) {
          return null;
        }
        long n = sleb();
        if (n > 0) {
          count = n;
          literal = false;
          value = read();
        } else if (n < 0) {
          count = -n;
          literal = true;
        } else {
          count = Chunks.uleb(b, pos);
          literal = false;
          value = null;
        }
      }
      count--;
      return literal ? read() : value;
    }

    /** Number of values (consumes the column). */
    int count() {
      int n = 0;
      while (true) {
        if (count == 0 && pos[0] >= end) {
          return n;
        }
        next();
        n++;
        if (n > 50_000_000) {
          throw new IllegalArgumentException("column too long");
        }
      }
    }

    private Object read() {
      if (strings) {
        long n = Chunks.uleb(b, pos);
        if (n > end - pos[0]) {
          throw new IllegalArgumentException("string runs past its column");
        }
        String s = new String(b, pos[0], (int) n, StandardCharsets.UTF_8);
        pos[0] += (int) n;
        return s;
      }
      return Chunks.uleb(b, pos);
    }

    private long sleb() {
      long v = 0;
      int shift = 0;
      int x;
      do {
        if (pos[0] >= end) {
          throw new IllegalArgumentException("truncated run length");
        }
        x = b[pos[0]++] & 0xff;
        v |= (long) (x & 0x7f) << shift;
        shift += 7;
      } while ((x & 0x80) != 0 && shift < 64);
      if (shift < 64 && (x & 0x40) != 0) {
        v |= -1L << shift;
      }
      return v;
    }
  }
}
