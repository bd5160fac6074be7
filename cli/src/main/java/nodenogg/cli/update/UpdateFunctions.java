package nodenogg.cli.update;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Base64;
import java.util.List;
import nodenogg.cli.UsageException;
import nodenogg.crdt.CrdtException;
import nodenogg.crdt.ObfuscateOptions;
import nodenogg.crdt.Updates;

/**
 * {@code update merge | diff | convert | obfuscate | log}: update-level functions (no document),
 * base64 updates one per line. Stateless.
 */
final class UpdateFunctions {
  private UpdateFunctions() {}

  /** merge [--v2]: prints one base64 update holding all input updates. */
  static int merge(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    boolean v2 = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--v2")) v2 = true;
      else throw new UsageException("unknown option '" + args[i] + "'; usage: update merge [--v2]");
    }
    List<byte[]> updates = UpdateCommand.readUpdates(in);
    if (updates.isEmpty())
      throw new BadInputException("no updates on stdin (expected base64 updates, one per line)");
    byte[] merged;
    try {
      merged = v2 ? Updates.mergeUpdatesV2(updates) : Updates.mergeUpdates(updates);
    } catch (CrdtException e) {
      throw new BadInputException("merging " + updates.size() + " updates: " + e.getMessage(), e);
    }
    out.println(Base64.getEncoder().encodeToString(merged));
    return 0;
  }

  /** diff --sv B64 [--v2]: per input update, what a holder of that state vector is missing. */
  static int diff(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    boolean v2 = false;
    byte[] sv = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--v2")) v2 = true;
      else if (args[i].equals("--sv") && i + 1 < args.length) sv = decodeSv(args[++i]);
      else if (args[i].startsWith("--sv=")) sv = decodeSv(args[i].substring(5));
      else
        throw new UsageException(
            "unknown option '" + args[i] + "'; usage: update diff --sv B64 [--v2]");
    }
    if (sv == null)
      throw new UsageException(
          "update diff needs --sv B64 (a base64 state vector, e.g. from `update sv`)");
    List<byte[]> updates = UpdateCommand.readUpdates(in);
    for (int i = 0; i < updates.size(); i++) {
      try {
        byte[] d =
            v2 ? Updates.diffUpdateV2(updates.get(i), sv) : Updates.diffUpdate(updates.get(i), sv);
        out.println(Base64.getEncoder().encodeToString(d));
      } catch (CrdtException e) {
        throw new BadInputException("update #" + i + ": " + e.getMessage(), e);
      }
    }
    return 0;
  }

  private static byte[] decodeSv(String b64) {
    try {
      byte[] sv = Base64.getDecoder().decode(b64.trim());
      Updates.decodeStateVector(sv);
      return sv;
    } catch (IllegalArgumentException | CrdtException e) {
      throw new UsageException("--sv is not a base64 state vector: " + e.getMessage());
    }
  }

  /** convert --to v1|v2: per input update, the same update in the other format. */
  static int convert(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    String to = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--to") && i + 1 < args.length) to = args[++i];
      else if (args[i].startsWith("--to=")) to = args[i].substring(5);
      else
        throw new UsageException(
            "unknown option '" + args[i] + "'; usage: update convert --to v1|v2");
    }
    if (!"v1".equals(to) && !"v2".equals(to))
      throw new UsageException("update convert needs --to v1 or --to v2");
    List<byte[]> updates = UpdateCommand.readUpdates(in);
    for (int i = 0; i < updates.size(); i++) {
      try {
        byte[] c =
            to.equals("v2")
                ? Updates.convertUpdateFormatV1ToV2(updates.get(i))
                : Updates.convertUpdateFormatV2ToV1(updates.get(i));
        out.println(Base64.getEncoder().encodeToString(c));
      } catch (CrdtException e) {
        throw new BadInputException("update #" + i + ": " + e.getMessage(), e);
      }
    }
    return 0;
  }

  static final String OBFUSCATE_USAGE =
      "usage: update obfuscate [--v2] [--no-formatting] [--no-subdocs] [--no-yxml]";

  /**
   * obfuscate [--v2] [--no-formatting] [--no-subdocs] [--no-yxml]: per input update, the same
   * update with texts, values and keys replaced (Yjs obfuscateUpdate), to share a failing document
   * without its content.
   */
  static int obfuscate(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    boolean v2 = false;
    ObfuscateOptions opts = ObfuscateOptions.DEFAULTS;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--v2":
          v2 = true;
          break;
        case "--no-formatting":
          opts = opts.withFormatting(false);
          break;
        case "--no-subdocs":
          opts = opts.withSubdocs(false);
          break;
        case "--no-yxml":
          opts = opts.withYxml(false);
          break;
        default:
          throw new UsageException("unknown option '" + args[i] + "'; " + OBFUSCATE_USAGE);
      }
    }
    List<byte[]> updates = UpdateCommand.readUpdates(in);
    for (int i = 0; i < updates.size(); i++) {
      try {
        byte[] o =
            v2
                ? Updates.obfuscateUpdateV2(updates.get(i), opts)
                : Updates.obfuscateUpdate(updates.get(i), opts);
        out.println(Base64.getEncoder().encodeToString(o));
      } catch (CrdtException e) {
        throw new BadInputException("update #" + i + ": " + e.getMessage(), e);
      }
    }
    return 0;
  }

  /**
   * log [--v2]: per input update, a readable listing of its structs and delete set (Yjs logUpdate).
   */
  static int log(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    boolean v2 = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--v2")) v2 = true;
      else throw new UsageException("unknown option '" + args[i] + "'; usage: update log [--v2]");
    }
    List<byte[]> updates = UpdateCommand.readUpdates(in);
    for (int i = 0; i < updates.size(); i++) {
      try {
        String text = v2 ? Updates.logUpdateV2(updates.get(i)) : Updates.logUpdate(updates.get(i));
        out.print("Update #" + i + "\n" + text);
      } catch (CrdtException e) {
        throw new BadInputException("update #" + i + ": " + e.getMessage(), e);
      }
    }
    return 0;
  }
}
