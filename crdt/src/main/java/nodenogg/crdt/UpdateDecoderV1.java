package nodenogg.crdt;

import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Undefined;

/** Update format v1 reader. Not thread-safe. */
final class UpdateDecoderV1 implements UpdateDecoder {
  private final Lib0Decoder rest;

  UpdateDecoderV1(Lib0Decoder rest) {
    this.rest = rest;
  }

  @Override
  public Lib0Decoder rest() {
    return rest;
  }

  @Override
  public ID readLeftID() {
    return new ID(rest.readVarUint(), rest.readVarUint());
  }

  @Override
  public ID readRightID() {
    return new ID(rest.readVarUint(), rest.readVarUint());
  }

  @Override
  public long readClient() {
    return rest.readVarUint();
  }

  @Override
  public int readInfo() {
    return rest.readUint8();
  }

  @Override
  public String readString() {
    return rest.readVarString();
  }

  @Override
  public boolean readParentInfo() {
    return rest.readVarUint() == 1;
  }

  @Override
  public int readTypeRef() {
    return rest.readVarUintAsInt("type ref");
  }

  @Override
  public long readLen() {
    return rest.readVarUint();
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
    int p = rest.pos();
    String s = rest.readVarString();
    if ("undefined".equals(s)) {
      return Undefined.INSTANCE;
    }
    try {
      return Json.parse(s);
    } catch (IllegalArgumentException e) {
      throw new DecodingException(p, "JSON text", "Invalid JSON: " + e.getMessage());
    }
  }

  @Override
  public String readKey() {
    return rest.readVarString();
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public long readDsClock() {
    return rest.readVarUint();
  }

  @Override
  public long readDsLen() {
    return rest.readVarUint();
  }
}
