package nodenogg.crdt.encoding;

/**
 * Column decoders of update format v2 (lib0 RleDecoder, UintOptRleDecoder, IntDiffOptRleDecoder,
 * StringDecoder). Reads past the end throw {@link DecodingException}, except the documented "last run
 * repeats forever" of the uint8 RLE. Not thread-safe.
 */
public final class RleDecoders {
    private RleDecoders() {
    }

    public static final class Uint8Rle {
        private final Lib0Decoder d;
        private int s;
        private long count;

        public Uint8Rle(byte[] data) {
            d = new Lib0Decoder(data);
        }

        public int read() {
            if (count == 0) {
                s = d.readUint8();
                if (d.hasContent()) {
                    count = d.readVarUint() + 1;
                } else {
                    count = -1;
                }
            }
            count--;
            return s;
        }
    }

    public static final class UintOptRle {
        private final Lib0Decoder d;
        private long s;
        private long count;

        public UintOptRle(byte[] data) {
            d = new Lib0Decoder(data);
        }

        public long read() {
            if (count == 0) {
                long v = d.readVarInt();
                boolean neg = v < 0 || d.lastVarIntWasNegativeZero();
                count = 1;
                s = Math.abs(v);
                if (neg) {
                    count = d.readVarUint() + 2;
                }
            }
            count--;
            return s;
        }
    }

    public static final class IntDiffOptRle {
        private final Lib0Decoder d;
        private long s;
        private long count;
        private long diff;

        public IntDiffOptRle(byte[] data) {
            d = new Lib0Decoder(data);
        }

        public long read() {
            if (count == 0) {
                long x = d.readVarInt();
                boolean hasCount = (x & 1) != 0;
                diff = Math.floorDiv(x, 2);
                count = 1;
                if (hasCount) {
                    count = d.readVarUint() + 2;
                }
            }
            s += diff;
            count--;
            return s;
        }
    }

    public static final class Strings {
        private final UintOptRle lens;
        private final String str;
        private int spos;

        public Strings(byte[] data) {
            Lib0Decoder d = new Lib0Decoder(data);
            str = d.readVarString();
            byte[] rest = new byte[d.remaining()];
            if (rest.length > 0) {
                rest = d.readBytes(rest.length);
            }
            lens = new UintOptRle(rest);
        }

        public String read() {
            long len = lens.read();
            if (len < 0 || spos + len > str.length()) {
                throw new DecodingException(spos, "string within the string column", "String column exhausted");
            }
            int end = (int) (spos + len);
            String r = str.substring(spos, end);
            spos = end;
            return r;
        }
    }
}
