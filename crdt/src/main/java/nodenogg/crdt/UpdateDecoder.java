package nodenogg.crdt;

import nodenogg.crdt.encoding.Lib0Decoder;

/** Struct and delete-set reader (yjs UpdateDecoderV1/V2 + DSDecoderV1/V2). Not thread-safe. */
interface UpdateDecoder {
  Lib0Decoder rest();

  ID readLeftID();

  ID readRightID();

  long readClient();

  int readInfo();

  String readString();

  boolean readParentInfo();

  int readTypeRef();

  long readLen();

  Object readAny();

  byte[] readBuf();

  Object readJSON();

  String readKey();

  void resetDsCurVal();

  long readDsClock();

  long readDsLen();

  /**
   * Whether an update may declare {@code count} more structs (v1: each takes at least one byte).
   */
  default boolean structCountPlausible(long count) {
    return count <= rest().remaining() + 1L;
  }
}
