package nodenogg.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A sequential editing trace in the josephg/editing-traces format ({@code {startContent,
 * endContent, txns: [{patches: [[pos, del, ins]]}]}}), held as flat arrays so that replaying it
 * allocates nothing per patch. Positions are in UTF-16 units (the traces shipped with the project
 * are BMP-only, where code points and UTF-16 indices coincide).
 *
 * <p>Immutable once loaded; safe to share between threads.
 */
public final class Trace {
  private final String name;
  private final String startContent;
  private final String endContent;

  /** Patches of transaction {@code t} are {@code txnStart[t] .. txnStart[t + 1] - 1}. */
  private final int[] txnStart;

  private final int[] pos;
  private final int[] del;
  private final String[] ins;

  private Trace(
      String name,
      String startContent,
      String endContent,
      int[] txnStart,
      int[] pos,
      int[] del,
      String[] ins) {
    this.name = name;
    this.startContent = startContent;
    this.endContent = endContent;
    this.txnStart = txnStart;
    this.pos = pos;
    this.del = del;
    this.ins = ins;
  }

  /**
   * Reads a trace from a {@code .json} or {@code .json.gz} file.
   *
   * @param prefixTxns keep only the first this many transactions (negative: all); the expected
   *     final text of a prefix is computed by splicing plain strings
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the file is not a sequential trace
   */
  public static Trace load(Path file, int prefixTxns) throws IOException {
    String fileName = file.getFileName().toString();
    String name = fileName.replaceAll("\\.json(\\.gz)?$", "");
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in = fileName.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      return parse(name, in, prefixTxns);
    }
  }

  /** Parses a trace from a JSON stream (see {@link #load}). */
  public static Trace parse(String name, InputStream in, int prefixTxns) throws IOException {
    String start = "";
    String end = null;
    IntList txnStart = new IntList();
    IntList pos = new IntList();
    IntList del = new IntList();
    String[] ins = new String[1024];
    try (JsonParser p = new JsonFactory().createParser(in)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "trace object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "startContent":
            start = p.getText();
            break;
          case "endContent":
            end = p.getText();
            break;
          case "kind":
            if (!"sequential".equals(p.getText())) {
              throw new IllegalArgumentException(
                  name
                      + " is a '"
                      + p.getText()
                      + "' trace; only sequential traces can be replayed (use a *_flat file)");
            }
            break;
          case "txns":
            expect(value, JsonToken.START_ARRAY, "txns array");
            while (p.nextToken() == JsonToken.START_OBJECT) {
              txnStart.add(pos.size());
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (!f.equals("patches")) {
                  p.skipChildren();
                  continue;
                }
                expect(v, JsonToken.START_ARRAY, "patches array");
                while (p.nextToken() == JsonToken.START_ARRAY) {
                  p.nextToken();
                  pos.add(p.getIntValue());
                  p.nextToken();
                  del.add(p.getIntValue());
                  p.nextToken();
                  if (ins.length == del.size() - 1) {
                    ins = Arrays.copyOf(ins, ins.length * 2);
                  }
                  ins[del.size() - 1] = p.getText();
                  expect(p.nextToken(), JsonToken.END_ARRAY, "end of patch");
                }
              }
            }
            break;
          default:
            p.skipChildren();
        }
      }
    }
    if (end == null) {
      throw new IllegalArgumentException(name + ": no endContent; not an editing trace");
    }
    int txns = txnStart.size();
    if (prefixTxns >= 0 && prefixTxns < txns) {
      txns = prefixTxns;
      end = null;
    }
    int patches = txns == txnStart.size() ? pos.size() : txnStart.get(txns);
    int[] starts = Arrays.copyOf(txnStart.toArray(), txns + 1);
    starts[txns] = patches;
    Trace t =
        new Trace(
            name,
            start,
            end,
            starts,
            Arrays.copyOf(pos.toArray(), patches),
            Arrays.copyOf(del.toArray(), patches),
            Arrays.copyOf(ins, patches));
    return end != null ? t : new Trace(name, start, t.spliceAll(), t.txnStart, t.pos, t.del, t.ins);
  }

  private static void expect(JsonToken got, JsonToken want, String what) {
    if (got != want) {
      throw new IllegalArgumentException("malformed trace: expected " + what + ", found " + got);
    }
  }

  /** Applies every patch to a plain string: the expected final text, independent of any CRDT. */
  public String spliceAll() {
    StringBuilder sb = new StringBuilder(startContent);
    for (int i = 0; i < pos.length; i++) {
      sb.replace(pos[i], pos[i] + del[i], ins[i]);
    }
    return sb.toString();
  }

  public String name() {
    return name;
  }

  public String startContent() {
    return startContent;
  }

  public String endContent() {
    return endContent;
  }

  public int txnCount() {
    return txnStart.length - 1;
  }

  public int patchCount() {
    return pos.length;
  }

  /**
   * Index of the first patch of transaction {@code t}; patches of t end at {@code txnStart(t + 1)}.
   */
  public int txnStart(int t) {
    return txnStart[t];
  }

  public int pos(int patch) {
    return pos[patch];
  }

  public int del(int patch) {
    return del[patch];
  }

  public String ins(int patch) {
    return ins[patch];
  }

  /** A growable int array (avoids boxing 260k patches). */
  private static final class IntList {
    private int[] a = new int[1024];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
