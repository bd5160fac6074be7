package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.RleDecoders;

/** Update format v2 reader (yjs UpdateDecoderV2 + DSDecoderV2). Not thread-safe. */
final class UpdateDecoderV2 implements UpdateDecoder {
    private final Lib0Decoder rest;
    private long dsCurrVal;
    private final List<String> keys = new ArrayList<>();
    private final RleDecoders.IntDiffOptRle keyClockDecoder;
    private final RleDecoders.UintOptRle clientDecoder;
    private final RleDecoders.IntDiffOptRle leftClockDecoder;
    private final RleDecoders.IntDiffOptRle rightClockDecoder;
    private final RleDecoders.Uint8Rle infoDecoder;
    private final RleDecoders.Strings stringDecoder;
    private final RleDecoders.Uint8Rle parentInfoDecoder;
    private final RleDecoders.UintOptRle typeRefDecoder;
    private final RleDecoders.UintOptRle lenDecoder;

    UpdateDecoderV2(Lib0Decoder decoder) {
        this.rest = decoder;
        decoder.readVarUint(); // feature flag
        keyClockDecoder = new RleDecoders.IntDiffOptRle(decoder.readVarUint8Array());
        clientDecoder = new RleDecoders.UintOptRle(decoder.readVarUint8Array());
        leftClockDecoder = new RleDecoders.IntDiffOptRle(decoder.readVarUint8Array());
        rightClockDecoder = new RleDecoders.IntDiffOptRle(decoder.readVarUint8Array());
        infoDecoder = new RleDecoders.Uint8Rle(decoder.readVarUint8Array());
        stringDecoder = new RleDecoders.Strings(decoder.readVarUint8Array());
        parentInfoDecoder = new RleDecoders.Uint8Rle(decoder.readVarUint8Array());
        typeRefDecoder = new RleDecoders.UintOptRle(decoder.readVarUint8Array());
        lenDecoder = new RleDecoders.UintOptRle(decoder.readVarUint8Array());
    }

    @Override
    public Lib0Decoder rest() {
        return rest;
    }

    private static long nonNegative(long v, String what) {
        if (v < 0 || v > Lib0Decoder.MAX_SAFE_INTEGER) {
            throw new DecodingException(0, what, "Negative or oversized value in a v2 column: " + v);
        }
        return v;
    }

    @Override
    public ID readLeftID() {
        return new ID(nonNegative(clientDecoder.read(), "client"), nonNegative(leftClockDecoder.read(), "clock"));
    }

    @Override
    public ID readRightID() {
        return new ID(nonNegative(clientDecoder.read(), "client"), nonNegative(rightClockDecoder.read(), "clock"));
    }

    @Override
    public long readClient() {
        return nonNegative(clientDecoder.read(), "client");
    }

    @Override
    public int readInfo() {
        return infoDecoder.read();
    }

    @Override
    public String readString() {
        return stringDecoder.read();
    }

    @Override
    public boolean readParentInfo() {
        return parentInfoDecoder.read() == 1;
    }

    @Override
    public int readTypeRef() {
        long v = typeRefDecoder.read();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new DecodingException(0, "type ref", "Bad type ref " + v);
        }
        return (int) v;
    }

    @Override
    public long readLen() {
        return nonNegative(lenDecoder.read(), "length");
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
        long keyClock = keyClockDecoder.read();
        if (keyClock >= 0 && keyClock < keys.size()) {
            return keys.get((int) keyClock);
        }
        String key = stringDecoder.read();
        keys.add(key);
        return key;
    }

    @Override
    public void resetDsCurVal() {
        dsCurrVal = 0;
    }

    @Override
    public long readDsClock() {
        dsCurrVal += rest.readVarUint();
        return dsCurrVal;
    }

    @Override
    public long readDsLen() {
        long diff = rest.readVarUint() + 1;
        dsCurrVal += diff;
        return diff;
    }
}
