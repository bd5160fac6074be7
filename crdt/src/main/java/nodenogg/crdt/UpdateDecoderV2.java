package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0ColumnDecoders;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Update format v2 reader (yjs UpdateDecoderV2 + DSDecoderV2). The nine columns are read eagerly in
 * the constructor; {@link #rest()} is positioned after them. Key back-references (a keyClock below
 * the number of keys seen) are honoured although Yjs never writes them. Not thread-safe.
 */
final class UpdateDecoderV2 implements UpdateDecoder {
  /**
   * Structs one v2 update may declare: 2^20 plus 64 per input byte. RLE columns let a struct cost
   * zero bytes, so the v1 rule (one byte per struct) does not apply; this bound refuses the "huge
   * struct count" vectors at once while leaving room for real updates.
   */
  static final long STRUCTS_BASE = 1L << 20;

  static final long STRUCTS_PER_BYTE = 64;

  private final Lib0Decoder rest;
  private final long structBudget;
  private long structsDeclared;
  private long dsCurrVal;
  private final List<String> keys = new ArrayList<>();
  private final Lib0ColumnDecoders.IntDiffOptRle keyClockCol;
  private final Lib0ColumnDecoders.UintOptRle clientCol;
  private final Lib0ColumnDecoders.IntDiffOptRle leftClockCol;
  private final Lib0ColumnDecoders.IntDiffOptRle rightClockCol;
  private final Lib0ColumnDecoders.Rle infoCol;
  private final Lib0ColumnDecoders.Strings stringCol;
  private final Lib0ColumnDecoders.Rle parentInfoCol;
  private final Lib0ColumnDecoders.UintOptRle typeRefCol;
  private final Lib0ColumnDecoders.UintOptRle lenCol;

  UpdateDecoderV2(Lib0Decoder in) {
    this.rest = in;
    this.structBudget = STRUCTS_BASE + STRUCTS_PER_BYTE * in.remaining();
    in.readVarUint(); // feature flag, unused
    keyClockCol = new Lib0ColumnDecoders.IntDiffOptRle(in.readVarUint8Array(), "keyClock");
    clientCol = new Lib0ColumnDecoders.UintOptRle(in.readVarUint8Array(), "client");
    leftClockCol = new Lib0ColumnDecoders.IntDiffOptRle(in.readVarUint8Array(), "leftClock");
    rightClockCol = new Lib0ColumnDecoders.IntDiffOptRle(in.readVarUint8Array(), "rightClock");
    infoCol = new Lib0ColumnDecoders.Rle(in.readVarUint8Array(), "info");
    stringCol = new Lib0ColumnDecoders.Strings(in.readVarUint8Array());
    parentInfoCol = new Lib0ColumnDecoders.Rle(in.readVarUint8Array(), "parentInfo");
    typeRefCol = new Lib0ColumnDecoders.UintOptRle(in.readVarUint8Array(), "typeRef");
    lenCol = new Lib0ColumnDecoders.UintOptRle(in.readVarUint8Array(), "len");
  }

  @Override
  public Lib0Decoder rest() {
    return rest;
  }

  @Override
  public boolean structCountPlausible(long count) {
    structsDeclared += count;
    return count <= structBudget && structsDeclared <= structBudget;
  }

  private ID id(long client, long clock) {
    if (client < 0 || client > 0xFFFFFFFFL || clock < 0) {
      throw new DecodingException(
          rest.pos(), "uint32 client and clock >= 0", "Bad ID (" + client + ", " + clock + ")");
    }
    return new ID(client, clock);
  }

  @Override
  public ID readLeftID() {
    return id(clientCol.read(), leftClockCol.read());
  }

  @Override
  public ID readRightID() {
    return id(clientCol.read(), rightClockCol.read());
  }

  @Override
  public long readClient() {
    return clientCol.read();
  }

  @Override
  public int readInfo() {
    return infoCol.read();
  }

  @Override
  public String readString() {
    return stringCol.read();
  }

  @Override
  public boolean readParentInfo() {
    return parentInfoCol.read() == 1;
  }

  @Override
  public int readTypeRef() {
    long r = typeRefCol.read();
    if (r > Integer.MAX_VALUE) {
      throw new DecodingException(rest.pos(), "type ref", "Type ref out of range: " + r);
    }
    return (int) r;
  }

  @Override
  public long readLen() {
    return lenCol.read();
  }

  @Override
  public Object readAny() {
    return rest.readAny();
  }

  @Override
  public byte[] readBuf() {
    return rest.readVarUint8Array();
  }

  @Override
  public Object readJSON() {
    return rest.readAny();
  }

  @Override
  public String readKey() {
    long keyClock = keyClockCol.read();
    if (keyClock >= 0 && keyClock < keys.size()) {
      return keys.get((int) keyClock);
    }
    String key = stringCol.read();
    keys.add(key);
    return key;
  }

  @Override
  public void resetDsCurVal() {
    dsCurrVal = 0;
  }

  @Override
  public long readDsClock() {
    int p = rest.pos();
    dsCurrVal += rest.readVarUint();
    if (dsCurrVal > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw new DecodingException(p, "delete clock <= 2^53-1", "Delete clock out of range");
    }
    return dsCurrVal;
  }

  @Override
  public long readDsLen() {
    int p = rest.pos();
    long diff = rest.readVarUint() + 1;
    dsCurrVal += diff;
    if (dsCurrVal > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw new DecodingException(p, "delete range end <= 2^53-1", "Delete range out of range");
    }
    return diff;
  }
}
