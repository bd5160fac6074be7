package nodenogg.crdt;

import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.crdt.encoding.RleEncoders;

/** Update format v2 (yjs UpdateEncoderV2 + DSEncoderV2): fields split into RLE columns. Not thread-safe. */
final class UpdateEncoderV2 implements UpdateEncoder {
    private Lib0Encoder rest = new Lib0Encoder();
    private long dsCurrVal;
    private long keyClock;
    private final RleEncoders.IntDiffOptRle keyClockEncoder = new RleEncoders.IntDiffOptRle();
    private final RleEncoders.UintOptRle clientEncoder = new RleEncoders.UintOptRle();
    private final RleEncoders.IntDiffOptRle leftClockEncoder = new RleEncoders.IntDiffOptRle();
    private final RleEncoders.IntDiffOptRle rightClockEncoder = new RleEncoders.IntDiffOptRle();
    private final RleEncoders.Uint8Rle infoEncoder = new RleEncoders.Uint8Rle();
    private final RleEncoders.Strings stringEncoder = new RleEncoders.Strings();
    private final RleEncoders.Uint8Rle parentInfoEncoder = new RleEncoders.Uint8Rle();
    private final RleEncoders.UintOptRle typeRefEncoder = new RleEncoders.UintOptRle();
    private final RleEncoders.UintOptRle lenEncoder = new RleEncoders.UintOptRle();

    @Override
    public Lib0Encoder rest() {
        return rest;
    }

    @Override
    public void setRest(Lib0Encoder r) {
        this.rest = r;
    }

    @Override
    public byte[] toByteArray() {
        Lib0Encoder e = new Lib0Encoder();
        e.writeVarUint(0);
        e.writeVarUint8Array(keyClockEncoder.toByteArray());
        e.writeVarUint8Array(clientEncoder.toByteArray());
        e.writeVarUint8Array(leftClockEncoder.toByteArray());
        e.writeVarUint8Array(rightClockEncoder.toByteArray());
        e.writeVarUint8Array(infoEncoder.toByteArray());
        e.writeVarUint8Array(stringEncoder.toByteArray());
        e.writeVarUint8Array(parentInfoEncoder.toByteArray());
        e.writeVarUint8Array(typeRefEncoder.toByteArray());
        e.writeVarUint8Array(lenEncoder.toByteArray());
        e.writeBytes(rest.toByteArray());
        return e.toByteArray();
    }

    @Override
    public void writeLeftID(ID id) {
        clientEncoder.write(id.client);
        leftClockEncoder.write(id.clock);
    }

    @Override
    public void writeRightID(ID id) {
        clientEncoder.write(id.client);
        rightClockEncoder.write(id.clock);
    }

    @Override
    public void writeClient(long client) {
        clientEncoder.write(client);
    }

    @Override
    public void writeInfo(int info) {
        infoEncoder.write(info);
    }

    @Override
    public void writeString(String s) {
        stringEncoder.write(s);
    }

    @Override
    public void writeParentInfo(boolean isYKey) {
        parentInfoEncoder.write(isYKey ? 1 : 0);
    }

    @Override
    public void writeTypeRef(int ref) {
        typeRefEncoder.write(ref);
    }

    @Override
    public void writeLen(long len) {
        lenEncoder.write(len);
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

    /** Yjs never deduplicates keys on write (its keyMap.set is commented out). */
    @Override
    public void writeKey(String key) {
        keyClockEncoder.write(keyClock++);
        stringEncoder.write(key);
    }

    @Override
    public void resetDsCurVal() {
        dsCurrVal = 0;
    }

    @Override
    public void writeDsClock(long clock) {
        long diff = clock - dsCurrVal;
        dsCurrVal = clock;
        rest.writeVarUint(diff);
    }

    @Override
    public void writeDsLen(long len) {
        if (len == 0) {
            throw new IllegalStateException("delete range of length 0");
        }
        rest.writeVarUint(len - 1);
        dsCurrVal += len;
    }
}
