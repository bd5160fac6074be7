package nodenogg.automerge.internal;

/**
 * Checks what org.automerge 0.0.7 (Rust automerge 0.5.7) does not check before it indexes arrays
 * with it: every actor index in a chunk's columns must name one of the chunk's actors. The library
 * applies a change whose operation names actor 38 of 1 by indexing its actor table and panics; a
 * Rust panic in the JNI layer aborts the whole JVM. So every byte string from outside (a peer, a
 * file, a store) passes this check before the library sees it. Found by the mutation tests of
 * {@code AutomergeFormatTest}.
 *
 * <p>Change body: deps, actor, seq, start op, time, message, other actors, column metadata, column
 * data. Document body: actors, heads, change column metadata, operation column metadata, change
 * data, operation data. A column spec's low 3 bits are its type; type 1 is an actor column (RLE of
 * LEB128 actor indices). Stateless.
 */
public final class ChunkValidator {
  private ChunkValidator() {}

  private static final int ACTOR = 1;

  /** Object kinds, as the library's make-actions create them. */
  public enum Kind {
    MAP,
    LIST,
    TEXT,
    TABLE
  }

  /** What a validated change creates: object id ({@code counter@actorhex}) to kind. */
  public static java.util.Map<String, Kind> validate(Chunks.Chunk chunk) {
    return validate(chunk, id -> null);
  }

  /**
   * Also checks, for a change, that every operation addresses its object the way the object's kind
   * needs — a map (and the root) by property name, a list or text by element — for the root, for
   * objects the change itself creates and for objects {@code known} names (the library panics
   * comparing a property with an element). Objects neither created here nor known are not checked.
   *
   * @return the objects the change creates (empty for a document)
   * @throws IllegalArgumentException naming the problem if a column of {@code chunk} names an actor
   *     it does not have, an operation addresses an object of a known kind wrongly, or the
   *     structure is malformed
   */
  public static java.util.Map<String, Kind> validate(
      Chunks.Chunk chunk, java.util.function.Function<String, Kind> known) {
    byte[] b = chunk.body();
    int[] pos = {0};
    if (chunk.kind() == Chunks.Kind.CHANGE) {
      skip(b, pos, Chunks.uleb(b, pos) * Chunks.HASH_BYTES);
      java.util.List<String> actorHex = new java.util.ArrayList<>();
      actorHex.add(Chunks.hex(bytes(b, pos)));
      Chunks.uleb(b, pos); // seq
      long startOp = Chunks.uleb(b, pos);
      skipLeb(b, pos); // time
      skip(b, pos, Chunks.uleb(b, pos)); // message
      long others = Chunks.uleb(b, pos);
      if (others > 100_000) {
        throw new IllegalArgumentException("a change with " + others + " other actors");
      }
      for (long i = 0; i < others; i++) {
        actorHex.add(Chunks.hex(bytes(b, pos)));
      }
      long[][] cols = columns(b, pos);
      checkActors(b, pos[0], cols, others + 1, "change");
      return operations(b, pos[0], cols, actorHex, startOp, known);
    } else {
      long actors = Chunks.uleb(b, pos);
      if (actors > 1_000_000) {
        throw new IllegalArgumentException("a document with " + actors + " actors");
      }
      java.util.List<String> actorHex = new java.util.ArrayList<>();
      for (long i = 0; i < actors; i++) {
        actorHex.add(Chunks.hex(bytes(b, pos)));
      }
      skip(b, pos, Chunks.uleb(b, pos) * Chunks.HASH_BYTES);
      long[][] changeCols = columns(b, pos);
      long[][] opCols = columns(b, pos);
      int dataStart = pos[0];
      long changeLen = 0;
      for (long[] c : changeCols) {
        changeLen += c[1];
      }
      long opLen = 0;
      for (long[] c : opCols) {
        opLen += c[1];
      }
      if (changeLen < 0 || opLen < 0 || dataStart + changeLen + opLen > b.length) {
        throw new IllegalArgumentException("document columns run past the chunk");
      }
      // compressed columns are inflated first (the library would inflate them too)
      byte[][] changeData = inflated(b, dataStart, changeCols);
      byte[][] opData = inflated(b, dataStart + (int) changeLen, opCols);
      byte[] changes = join(changeData);
      byte[] ops = join(opData);
      long[][] changeNorm = normalised(changeCols, changeData);
      long[][] opNorm = normalised(opCols, opData);
      checkActors(changes, 0, changeNorm, actors, "document changes");
      checkActors(ops, 0, opNorm, actors, "document operations");
      // two passes: the objects the document makes (by operation id), then how operations address
      // them
      java.util.Map<String, Kind> made = new java.util.HashMap<>();
      documentOps(ops, 0, opNorm, actorHex, made, false);
      documentOps(ops, 0, opNorm, actorHex, made, true);
      return java.util.Map.of();
    }
  }

  private static final int OBJ_ACTOR = 1;
  private static final int OBJ_CTR = 2;
  private static final int KEY_ACTOR = 17;
  private static final int KEY_CTR = 19;
  private static final int KEY_STR = 21;
  private static final int INSERT = 52;
  private static final int ACTION = 66;
  private static final int VALUE_META = 86;

  /** Walks the operations: key kinds against object kinds; collects the objects made. */
  private static java.util.Map<String, Kind> operations(
      byte[] b,
      int start,
      long[][] cols,
      java.util.List<String> actors,
      long startOp,
      java.util.function.Function<String, Kind> known) {
    Col objActor = null;
    Col objCtr = null;
    Col keyActor = null;
    Col keyCtr = null;
    Col keyStr = null;
    Col insert = null;
    Col action = null;
    Col valueMeta = null;
    int at = start;
    for (long[] c : cols) {
      int end = at + (int) c[1];
      switch ((int) c[0]) {
        case OBJ_ACTOR -> objActor = new Col(b, at, end, Col.UINT);
        case OBJ_CTR -> objCtr = new Col(b, at, end, Col.UINT);
        case KEY_ACTOR -> keyActor = new Col(b, at, end, Col.UINT);
        case KEY_CTR -> keyCtr = new Col(b, at, end, Col.DELTA);
        case KEY_STR -> keyStr = new Col(b, at, end, Col.STRING);
        case INSERT -> insert = new Col(b, at, end, Col.BOOLEAN);
        case ACTION -> action = new Col(b, at, end, Col.UINT);
        case VALUE_META -> valueMeta = new Col(b, at, end, Col.UINT);
        default -> {}
      }
      at = end;
    }
    java.util.Map<String, Kind> made = new java.util.HashMap<>();
    if ((objActor == null) != (objCtr == null)) {
      // the library reads a half pair as "no object column" (every operation on the root) or errs:
      // refuse
      throw new IllegalArgumentException("a change with only half of the object column pair");
    }
    if (action == null) {
      return made;
    }
    for (long i = 0; action.hasNext(); i++) {
      if (i > 50_000_000) {
        throw new IllegalArgumentException("too many operations");
      }
      Object act = action.next();
      Object oa = objActor == null ? null : objActor.next();
      Object oc = objCtr == null ? null : objCtr.next();
      Object ka = keyActor == null ? null : keyActor.next();
      Object kc = keyCtr == null ? null : keyCtr.next();
      Object ks = keyStr == null ? null : keyStr.next();
      boolean ins = insert != null && Boolean.TRUE.equals(insert.next());
      Object meta = valueMeta == null ? null : valueMeta.next();
      // the library decodes these before applying but, in the apply path, reaches code it marks
      // unreachable for
      // an unknown action or a non-numeric increment (a panic): refuse them first
      if (!(act instanceof Long a0) || a0 < 0 || a0 > 7) {
        throw new IllegalArgumentException(
            "operation " + (startOp + i) + " has unknown action " + act);
      }
      if (a0 == 5) {
        long type = meta == null ? 0 : ((Long) meta) & 0x0f;
        if (type != 3 && type != 4) {
          throw new IllegalArgumentException(
              "operation " + (startOp + i) + " increments by a non-integer");
        }
      }
      // as the library decodes them: an object with counter 0 (or none) is the root; a key with a
      // string is a
      // property, one with counter 0 the head (actor none or 0), anything else an element
      boolean root = oa == null || oc == null || (Long) oc == 0;
      String obj = root ? null : oc + "@" + actors.get((int) (long) (Long) oa);
      Kind kind = root ? Kind.MAP : made.containsKey(obj) ? made.get(obj) : known.apply(obj);
      boolean prop = ks != null;
      if (!prop && kc != null && (Long) kc == 0 && ka != null && (Long) ka != 0) {
        throw new IllegalArgumentException(
            "operation " + (startOp + i) + " names element 0 of actor " + ka);
      }
      if (kind == Kind.MAP || kind == Kind.TABLE) {
        if (!prop || ins) {
          throw new IllegalArgumentException(
              "operation " + (startOp + i) + " addresses a map by element");
        }
      } else if (kind == Kind.LIST || kind == Kind.TEXT) {
        boolean head = kc != null && (Long) kc == 0;
        if (prop || (head && !ins)) {
          throw new IllegalArgumentException(
              "operation "
                  + (startOp + i)
                  + " addresses a list or text by "
                  + (prop ? "property" : "the head without inserting"));
        }
      }
      if (act instanceof Long a) {
        Kind k =
            a == 0
                ? Kind.MAP
                : a == 2 ? Kind.LIST : a == 4 ? Kind.TEXT : a == 6 ? Kind.TABLE : null;
        if (k != null) {
          made.put((startOp + i) + "@" + actors.get(0), k);
        }
      }
    }
    return made;
  }

  private static final int ID_ACTOR = 33;
  private static final int ID_CTR = 35;

  /**
   * A document's operations: first pass collects made objects, second checks actions and key kinds.
   */
  private static void documentOps(
      byte[] b,
      int start,
      long[][] cols,
      java.util.List<String> actors,
      java.util.Map<String, Kind> made,
      boolean check) {
    Col objActor = null;
    Col objCtr = null;
    Col keyActor = null;
    Col keyCtr = null;
    Col keyStr = null;
    Col idActor = null;
    Col idCtr = null;
    Col insert = null;
    Col action = null;
    Col valueMeta = null;
    int at = start;
    for (long[] c : cols) {
      int end = at + (int) c[1];
      switch ((int) c[0]) {
        case OBJ_ACTOR -> objActor = new Col(b, at, end, Col.UINT);
        case OBJ_CTR -> objCtr = new Col(b, at, end, Col.UINT);
        case KEY_ACTOR -> keyActor = new Col(b, at, end, Col.UINT);
        case KEY_CTR -> keyCtr = new Col(b, at, end, Col.DELTA);
        case KEY_STR -> keyStr = new Col(b, at, end, Col.STRING);
        case ID_ACTOR -> idActor = new Col(b, at, end, Col.UINT);
        case ID_CTR -> idCtr = new Col(b, at, end, Col.DELTA);
        case INSERT -> insert = new Col(b, at, end, Col.BOOLEAN);
        case ACTION -> action = new Col(b, at, end, Col.UINT);
        case VALUE_META -> valueMeta = new Col(b, at, end, Col.UINT);
        default -> {}
      }
      at = end;
    }
    if ((objActor == null) != (objCtr == null)) {
      throw new IllegalArgumentException("a document with only half of the object column pair");
    }
    if (action == null) {
      return;
    }
    for (long i = 0; action.hasNext(); i++) {
      if (i > 50_000_000) {
        throw new IllegalArgumentException("too many operations");
      }
      Object act = action.next();
      Object oa = objActor == null ? null : objActor.next();
      Object oc = objCtr == null ? null : objCtr.next();
      Object ka = keyActor == null ? null : keyActor.next();
      Object kc = keyCtr == null ? null : keyCtr.next();
      Object ks = keyStr == null ? null : keyStr.next();
      Object ia = idActor == null ? null : idActor.next();
      Object ic = idCtr == null ? null : idCtr.next();
      boolean ins = insert != null && Boolean.TRUE.equals(insert.next());
      Object meta = valueMeta == null ? null : valueMeta.next();
      if (!(act instanceof Long a0) || a0 < 0 || a0 > 7) {
        throw new IllegalArgumentException(
            "document operation " + i + " has unknown action " + act);
      }
      if (!check) {
        Kind k =
            a0 == 0
                ? Kind.MAP
                : a0 == 2 ? Kind.LIST : a0 == 4 ? Kind.TEXT : a0 == 6 ? Kind.TABLE : null;
        if (k != null && ia != null && ic != null) {
          made.put(ic + "@" + actors.get((int) (long) (Long) ia), k);
        }
        continue;
      }
      if (a0 == 5) {
        long type = meta == null ? 0 : ((Long) meta) & 0x0f;
        if (type != 3 && type != 4) {
          throw new IllegalArgumentException(
              "document operation " + i + " increments by a non-integer");
        }
      }
      boolean root = oa == null || oc == null || (Long) oc == 0;
      String obj = root ? null : oc + "@" + actors.get((int) (long) (Long) oa);
      Kind kind = root ? Kind.MAP : made.get(obj);
      boolean prop = ks != null;
      if (!prop && kc != null && (Long) kc == 0 && ka != null && (Long) ka != 0) {
        throw new IllegalArgumentException(
            "document operation " + i + " names element 0 of actor " + ka);
      }
      if ((kind == Kind.MAP || kind == Kind.TABLE) && (!prop || ins)) {
        throw new IllegalArgumentException(
            "document operation " + i + " addresses a map by element");
      }
      if ((kind == Kind.LIST || kind == Kind.TEXT)
          && (prop || (kc != null && (Long) kc == 0 && !ins))) {
        throw new IllegalArgumentException(
            "document operation " + i + " addresses a list or text by property");
      }
    }
  }

  private static byte[] bytes(byte[] b, int[] pos) {
    long n = Chunks.uleb(b, pos);
    if (n < 0 || n > b.length - pos[0]) {
      throw new IllegalArgumentException("a field runs past the chunk");
    }
    byte[] out = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + (int) n);
    pos[0] += (int) n;
    return out;
  }

  /**
   * One column: RLE of LEB128 (UINT) or of deltas (DELTA) or of strings, or boolean run lengths.
   */
  private static final class Col {
    static final int UINT = 0;
    static final int DELTA = 1;
    static final int STRING = 2;
    static final int BOOLEAN = 3;
    private final byte[] b;
    private final int end;
    private final int type;
    private final int[] pos;
    private long count;
    private boolean literal;
    private Object value;
    private long sum;
    private boolean bool = true;

    Col(byte[] b, int start, int end, int type) {
      if (end > b.length || end < start) {
        throw new IllegalArgumentException("a column runs past the chunk");
      }
      this.b = b;
      this.end = end;
      this.type = type;
      this.pos = new int[] {start};
    }

    boolean hasNext() {
      if (count > 0) {
        return true;
      }
      while (count == 0 && pos[0] < end) {
        fill();
      }
      return count > 0;
    }

    Object next() {
      if (!hasNext()) {
        return null;
      }
      count--;
      if (type == BOOLEAN) {
        return bool;
      }
      Object v = literal ? read() : value;
      if (type == DELTA && v != null) {
        sum += (Long) v;
        return sum;
      }
      return v;
    }

    private void fill() {
      if (type == BOOLEAN) {
        count = Chunks.uleb(b, pos);
        bool = !bool;
        return;
      }
      long n = sleb(b, pos, end);
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

    private Object read() {
      if (pos[0] >= end) {
        throw new IllegalArgumentException("a run past its column");
      }
      if (type == STRING) {
        long n = Chunks.uleb(b, pos);
        if (n < 0 || n > end - pos[0]) {
          throw new IllegalArgumentException("a string past its column");
        }
        String s = new String(b, pos[0], (int) n, java.nio.charset.StandardCharsets.UTF_8);
        pos[0] += (int) n;
        return s;
      }
      return type == DELTA ? sleb(b, pos, end) : Chunks.uleb(b, pos);
    }
  }

  private static byte[][] inflated(byte[] b, int start, long[][] cols) {
    byte[][] out = new byte[cols.length][];
    int at = start;
    for (int i = 0; i < cols.length; i++) {
      int end = at + (int) cols[i][1];
      out[i] =
          (cols[i][0] & 0x08) != 0
              ? Chunks.inflate(b, at, end)
              : java.util.Arrays.copyOfRange(b, at, end);
      at = end;
    }
    return out;
  }

  private static byte[] join(byte[][] parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  private static long[][] normalised(long[][] cols, byte[][] data) {
    long[][] out = new long[cols.length][];
    for (int i = 0; i < cols.length; i++) {
      out[i] = new long[] {cols[i][0] & ~0x08L, data[i].length};
    }
    return out;
  }

  /** Column metadata: per column {spec, length}; checks the total fits in the body. */
  private static long[][] columns(byte[] b, int[] pos) {
    long n = Chunks.uleb(b, pos);
    if (n > 256) {
      throw new IllegalArgumentException("a chunk with " + n + " columns");
    }
    long[][] out = new long[(int) n][];
    for (int i = 0; i < n; i++) {
      long spec = Chunks.uleb(b, pos);
      long len = Chunks.uleb(b, pos);
      out[i] = new long[] {spec, len};
    }
    return out;
  }

  private static void checkActors(byte[] b, int start, long[][] cols, long actors, String what) {
    long at = start;
    for (long[] c : cols) {
      long len = c[1];
      if (len < 0 || at + len > b.length) {
        throw new IllegalArgumentException(what + ": a column runs past the chunk");
      }
      if ((c[0] & 0x07) == ACTOR) {
        rle(b, (int) at, (int) (at + len), actors, what);
      }
      at += len;
    }
  }

  /** Walks an RLE column of LEB128 integers; every value must be below {@code limit}. */
  private static void rle(byte[] b, int start, int end, long limit, String what) {
    int[] pos = {start};
    while (pos[0] < end) {
      long n = sleb(b, pos, end);
      if (n > 0) {
        check(Chunks.uleb(b, pos), limit, what);
      } else if (n < 0) {
        for (long i = 0; i < -n; i++) {
          if (pos[0] >= end) {
            throw new IllegalArgumentException(what + ": a literal run past its column");
          }
          check(Chunks.uleb(b, pos), limit, what);
        }
      } else {
        Chunks.uleb(b, pos); // a run of nulls
      }
      if (pos[0] > end) {
        throw new IllegalArgumentException(what + ": a run past its column");
      }
    }
  }

  private static void check(long actor, long limit, String what) {
    if (actor < 0 || actor >= limit) {
      throw new IllegalArgumentException(what + " names actor " + actor + " but has " + limit);
    }
  }

  private static long sleb(byte[] b, int[] pos, int end) {
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
    if ((x & 0x80) != 0) {
      throw new IllegalArgumentException("run length too long");
    }
    if (shift < 64 && (x & 0x40) != 0) {
      v |= -1L << shift;
    }
    return v;
  }

  private static void skip(byte[] b, int[] pos, long n) {
    if (n < 0 || n > b.length - pos[0]) {
      throw new IllegalArgumentException("a field runs past the chunk");
    }
    pos[0] += (int) n;
  }

  private static void skipLeb(byte[] b, int[] pos) {
    for (int i = 0; i < 10; i++) {
      if (pos[0] >= b.length) {
        throw new IllegalArgumentException("truncated LEB128 number");
      }
      if ((b[pos[0]++] & 0x80) == 0) {
        return;
      }
    }
    throw new IllegalArgumentException("LEB128 number too long");
  }
}
