package nodenogg.crdt;

import nodenogg.crdt.encoding.Lib0ColumnEncoders;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Update format v2 writer (yjs UpdateEncoderV2 + DSEncoderV2): fields go to RLE columns, the rest
 * to {@link #rest()}. Keys ({@link #writeKey}) are never deduplicated on write, exactly like Yjs
 * (its key cache is disabled), so every key costs a fresh keyClock value and a string. Delete-set
 * clocks are written as the gap from the previous range end, lengths as len − 1. Not thread-safe.
 */
final class UpdateEncoderV2 implements UpdateEncoder {
  private Lib0Encoder rest = new Lib0Encoder();
  private long dsCurrVal;
  private long keyClock;
  private final Lib0ColumnEncoders.IntDiffOptRle keyClockCol =
      new Lib0ColumnEncoders.IntDiffOptRle();
  private final Lib0ColumnEncoders.UintOptRle clientCol = new Lib0ColumnEncoders.UintOptRle();
  private final Lib0ColumnEncoders.IntDiffOptRle leftClockCol =
      new Lib0ColumnEncoders.IntDiffOptRle();
  private final Lib0ColumnEncoders.IntDiffOptRle rightClockCol =
      new Lib0ColumnEncoders.IntDiffOptRle();
  private final Lib0ColumnEncoders.Rle infoCol = new Lib0ColumnEncoders.Rle();
  private final Lib0ColumnEncoders.Strings stringCol = new Lib0ColumnEncoders.Strings();
  private final Lib0ColumnEncoders.Rle parentInfoCol = new Lib0ColumnEncoders.Rle();
  private final Lib0ColumnEncoders.UintOptRle typeRefCol = new Lib0ColumnEncoders.UintOptRle();
  private final Lib0ColumnEncoders.UintOptRle lenCol = new Lib0ColumnEncoders.UintOptRle();

  @Override
  public Lib0Encoder rest() {
    return rest;
  }

  @Override
  public void setRest(Lib0Encoder r) {
    this.rest = r;
  }

  /** Finishes the columns; call once. */
  @Override
  public byte[] toByteArray() {
    Lib0Encoder e = new Lib0Encoder(rest.length() + 64);
    e.writeVarUint(0); // feature flag
    e.writeVarUint8Array(keyClockCol.toByteArray());
    e.writeVarUint8Array(clientCol.toByteArray());
    e.writeVarUint8Array(leftClockCol.toByteArray());
    e.writeVarUint8Array(rightClockCol.toByteArray());
    e.writeVarUint8Array(infoCol.toByteArray());
    e.writeVarUint8Array(stringCol.toByteArray());
    e.writeVarUint8Array(parentInfoCol.toByteArray());
    e.writeVarUint8Array(typeRefCol.toByteArray());
    e.writeVarUint8Array(lenCol.toByteArray());
    e.writeBytes(rest.toByteArray());
    return e.toByteArray();
  }

  @Override
  public void writeLeftID(ID id) {
    clientCol.write(id.client);
    leftClockCol.write(id.clock);
  }

  @Override
  public void writeRightID(ID id) {
    clientCol.write(id.client);
    rightClockCol.write(id.clock);
  }

  @Override
  public void writeClient(long client) {
    clientCol.write(client);
  }

  @Override
  public void writeInfo(int info) {
    infoCol.write(info);
  }

  @Override
  public void writeString(String s) {
    stringCol.write(s);
  }

  @Override
  public void writeParentInfo(boolean isYKey) {
    parentInfoCol.write(isYKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int ref) {
    typeRefCol.write(ref);
  }

  @Override
  public void writeLen(long len) {
    lenCol.write(len);
  }

  @Override
  public void writeAny(Object any) {
    rest.writeAny(any);
  }

  @Override
  public void writeBuf(byte[] buf) {
    rest.writeVarUint8Array(buf);
  }

  @Override
  public void writeJSON(Object value) {
    rest.writeAny(value);
  }

  @Override
  public void writeKey(String key) {
    keyClockCol.write(keyClock++);
    stringCol.write(key);
  }

  @Override
  public void resetDsCurVal() {
    dsCurrVal = 0;
  }

  @Override
  public void writeDsClock(long clock) {
    long diff = clock - dsCurrVal;
    if (diff < 0) {
      throw new UpdateException(
          "Delete ranges overlap or are unsorted (clock "
              + clock
              + " after range end "
              + dsCurrVal
              + "); update format v2 cannot represent them");
    }
    dsCurrVal = clock;
    rest.writeVarUint(diff);
  }

  @Override
  public void writeDsLen(long len) {
    if (len <= 0) {
      throw new UpdateException(
          "A delete range of length " + len + " cannot be written in update format v2");
    }
    rest.writeVarUint(len - 1);
    dsCurrVal += len;
  }
}
