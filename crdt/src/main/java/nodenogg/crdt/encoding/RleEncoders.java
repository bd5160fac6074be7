package nodenogg.crdt.encoding;

/**
 * The stateful column encoders of lib0 used by update format v2. Not thread-safe.
 */
public final class RleEncoders {
    private RleEncoders() {
    }

    /** lib0 RleEncoder(writeUint8): value, then (count-1) when the value changes; the last count is never written. */
    public static final class Uint8Rle {
        private final Lib0Encoder enc = new Lib0Encoder();
        private int s = -1;
        private long count;

        public void write(int v) {
            if (count > 0 && s == v) {
                count++;
            } else {
                if (count > 0) {
                    enc.writeVarUint(count - 1);
                }
                count = 1;
                enc.writeUint8(v);
                s = v;
            }
        }

        public byte[] toByteArray() {
            return enc.toByteArray();
        }
    }

    /** lib0 UintOptRleEncoder: single value as varInt(v); a run as varInt(-v) (negative zero for 0) then varUint(n-2). */
    public static final class UintOptRle {
        private final Lib0Encoder enc = new Lib0Encoder();
        private long s;
        private long count;

        public void write(long v) {
            if (s == v) {
                count++;
            } else {
                flush();
                count = 1;
                s = v;
            }
        }

        private void flush() {
            if (count > 0) {
                enc.writeVarInt(s, count > 1);
                if (count > 1) {
                    enc.writeVarUint(count - 2);
                }
            }
        }

        public byte[] toByteArray() {
            flush();
            count = 0;
            return enc.toByteArray();
        }
    }

    /** lib0 IntDiffOptRleEncoder: varInt(2*diff + (run ? 1 : 0)), then varUint(n-2) for runs. */
    public static final class IntDiffOptRle {
        private final Lib0Encoder enc = new Lib0Encoder();
        private long s;
        private long count;
        private long diff;

        public void write(long v) {
            if (diff == v - s) {
                s = v;
                count++;
            } else {
                flush();
                count = 1;
                diff = v - s;
                s = v;
            }
        }

        private void flush() {
            if (count > 0) {
                enc.writeVarInt(diff * 2 + (count == 1 ? 0 : 1));
                if (count > 1) {
                    enc.writeVarUint(count - 2);
                }
            }
        }

        public byte[] toByteArray() {
            flush();
            count = 0;
            return enc.toByteArray();
        }
    }

    /** lib0 StringEncoder: all strings joined into one varString, then a UintOptRle column of UTF-16 lengths. */
    public static final class Strings {
        private final StringBuilder sb = new StringBuilder();
        private final UintOptRle lens = new UintOptRle();

        public void write(String s) {
            sb.append(s);
            lens.write(s.length());
        }

        public byte[] toByteArray() {
            Lib0Encoder e = new Lib0Encoder();
            e.writeVarString(sb.toString());
            e.writeBytes(lens.toByteArray());
            return e.toByteArray();
        }
    }
}
