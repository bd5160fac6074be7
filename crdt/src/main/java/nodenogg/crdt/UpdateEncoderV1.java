package nodenogg.crdt;

import nodenogg.crdt.encoding.Lib0Encoder;

/** Update format v1: every field goes to one lib0 stream. Not thread-safe. */
final class UpdateEncoderV1 implements UpdateEncoder {
  private Lib0Encoder rest = new Lib0Encoder();

  @Override
  public void setRest(Lib0Encoder r) {
    this.rest = r;
  }

  @Override
  public Lib0Encoder rest() {
    return rest;
  }

  @Override
  public byte[] toByteArray() {
    return rest.toByteArray();
  }

  @Override
  public void writeLeftID(ID id) {
    rest.writeVarUint(id.client);
    rest.writeVarUint(id.clock);
  }

  @Override
  public void writeRightID(ID id) {
    rest.writeVarUint(id.client);
    rest.writeVarUint(id.clock);
  }

  @Override
  public void writeClient(long client) {
    rest.writeVarUint(client);
  }

  @Override
  public void writeInfo(int info) {
    rest.writeUint8(info);
  }

  @Override
  public void writeString(String s) {
    rest.writeVarString(s);
  }

  @Override
  public void writeParentInfo(boolean isYKey) {
    rest.writeVarUint(isYKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int ref) {
    rest.writeVarUint(ref);
  }

  @Override
  public void writeLen(long len) {
    rest.writeVarUint(len);
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
    rest.writeVarString(Json.stringify(value));
  }

  @Override
  public void writeKey(String key) {
    rest.writeVarString(key);
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public void writeDsClock(long clock) {
    rest.writeVarUint(clock);
  }

  @Override
  public void writeDsLen(long len) {
    rest.writeVarUint(len);
  }
}
