package nodenogg.crdt;

import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Struct and delete-set writer (yjs UpdateEncoderV1/V2 + DSEncoderV1/V2). V1 writes everything to
 * {@link #rest()}; V2 splits fields into columns. Not thread-safe.
 */
interface UpdateEncoder {
  Lib0Encoder rest();

  /** Replace the rest stream (used by the lazy struct writer of mergeUpdates). */
  void setRest(Lib0Encoder rest);

  byte[] toByteArray();

  void writeLeftID(ID id);

  void writeRightID(ID id);

  void writeClient(long client);

  void writeInfo(int info);

  void writeString(String s);

  void writeParentInfo(boolean isYKey);

  void writeTypeRef(int ref);

  void writeLen(long len);

  void writeAny(Object any);

  void writeBuf(byte[] buf);

  /** v1: JSON text; v2: Any. */
  void writeJSON(Object value);

  void writeKey(String key);

  void resetDsCurVal();

  void writeDsClock(long clock);

  void writeDsLen(long len);
}
