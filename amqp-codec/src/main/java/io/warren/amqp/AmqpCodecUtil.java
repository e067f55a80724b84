package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Wire constants and the primitive readers and writers the method records, the content header
 * and the field tables share.
 *
 * <p>Readers work on a buffer whose readable bytes end where the enclosing frame or table ends,
 * so running past the end is an {@link IndexOutOfBoundsException} for fixed-width values (callers
 * turn it into {@link ReplyCode#FRAME_ERROR}) and an explicit check for variable-length ones,
 * made before anything is allocated for them.
 */
final class AmqpCodecUtil {
    static final int FRAME_METHOD = 1;
    static final int FRAME_HEADER = 2;
    static final int FRAME_BODY = 3;
    static final int FRAME_HEARTBEAT = 8;
    static final int FRAME_END = 0xCE;
    /** Type, channel and payload size. */
    static final int FRAME_HEADER_SIZE = 7;
    /** What a frame adds to its payload: the header and the end octet. */
    static final int FRAME_OVERHEAD = FRAME_HEADER_SIZE + 1;

    private AmqpCodecUtil() {
    }

    /** Where short strings are copied out of direct buffers: one per thread, never escaping. */
    private static final FastThreadLocal<byte[]> SHORTSTR_SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[255];
        }
    };

    /**
     * The exchange and routing key of the last basic.publish each thread decoded, for
     * {@link #readShortstrAgain}.
     */
    private static final FastThreadLocal<String[]> RECENT_PUBLISH = new FastThreadLocal<>() {
        @Override
        protected String[] initialValue() {
            return new String[2];
        }
    };

    /** This thread's recent publish names: slot 0 the exchange, slot 1 the routing key. */
    static String[] recentPublishNames() {
        return RECENT_PUBLISH.get();
    }

    /**
     * Reads a short string, returning {@code recent[slot]} itself when the bytes spell it. A
     * publisher nearly always repeats its exchange and routing key, and a queued message keeps
     * both: reusing the strings spares two Strings and their arrays per message, allocated and,
     * while the message waits in a queue, retained. A byte never equals a non-ASCII char, so a
     * match is exact.
     */
    static String readShortstrAgain(ByteBuf in, String[] recent, int slot) {
        String previous = recent[slot];
        if (previous != null) {
            int length = previous.length();
            int index = in.readerIndex();
            if (in.readableBytes() > length && in.getUnsignedByte(index) == length && spells(in, index + 1, previous)) {
                in.skipBytes(1 + length);
                return previous;
            }
        }
        String value = readShortstr(in);
        recent[slot] = value;
        return value;
    }

    private static boolean spells(ByteBuf in, int index, String s) {
        int length = s.length();
        if (in.hasArray()) {
            byte[] bytes = in.array();
            int offset = in.arrayOffset() + index;
            for (int i = 0; i < length; i++) {
                if (bytes[offset + i] != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < length; i++) {
            if (in.getByte(index + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a short string. Like RabbitMQ ({@code rabbit_binary_parser:assert_utf8}) it rejects
     * malformed UTF-8 with {@link ReplyCode#FRAME_ERROR}. ASCII, by far the common case, takes
     * the fast path: one copy into a scratch array, one scan, one Latin-1 string (a String and
     * its array are all that is allocated).
     */
    static String readShortstr(ByteBuf in) {
        int length = in.readUnsignedByte();
        if (length == 0) {
            return "";
        }
        checkReadable(in, length, "short string");
        byte[] bytes;
        int offset;
        if (in.hasArray()) {
            bytes = in.array();
            offset = in.arrayOffset() + in.readerIndex();
        } else {
            bytes = SHORTSTR_SCRATCH.get();
            offset = 0;
            in.getBytes(in.readerIndex(), bytes, 0, length);
        }
        String value;
        if (isAscii(bytes, offset, length)) {
            value = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        } else if (ByteBufUtil.isText(in, in.readerIndex(), length, StandardCharsets.UTF_8)) {
            value = new String(bytes, offset, length, StandardCharsets.UTF_8);
        } else {
            throw new AmqpException(ReplyCode.FRAME_ERROR, "Malformed UTF-8 in shortstr");
        }
        in.skipBytes(length);
        return value;
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        int bits = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            bits |= bytes[i];
        }
        return bits >= 0;
    }

    /**
     * Reads a short string without validating UTF-8 (malformed sequences become U+FFFD). Used
     * where RabbitMQ does not check: content properties (re-sent from their raw bytes anyway)
     * and field table keys.
     */
    static String readShortstrLenient(ByteBuf in) {
        int length = in.readUnsignedByte();
        if (length == 0) {
            return "";
        }
        checkReadable(in, length, "short string");
        String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return value;
    }

    /**
     * Writes a short string as UTF-8.
     *
     * @throws IllegalArgumentException if it takes more than 255 bytes
     */
    static void writeShortstr(ByteBuf out, String value) {
        int lengthIndex = out.writerIndex();
        out.writeByte(0);
        int length = ByteBufUtil.writeUtf8(out, value);
        if (length > 255) {
            out.writerIndex(lengthIndex);
            throw new IllegalArgumentException(
                    "short string longer than 255 bytes (" + length + "): " + value);
        }
        out.setByte(lengthIndex, length);
    }

    static LongString readLongstr(ByteBuf in) {
        return LongString.read(in, readLength(in, "long string"));
    }

    static void writeLongstr(ByteBuf out, LongString value) {
        out.writeInt(value.length());
        value.writeTo(out);
    }

    /** Reads a 32-bit length and checks that that many bytes follow. */
    static int readLength(ByteBuf in, String what) {
        long length = in.readUnsignedInt();
        checkReadable(in, length, what);
        return (int) length;
    }

    static void checkReadable(ByteBuf in, long length, String what) {
        if (length > in.readableBytes()) {
            throw malformed(what + " of " + length + " bytes runs past the end of its frame");
        }
    }

    /**
     * The error for arguments that do not decode. RabbitMQ answers {@code frame_error} ("cannot
     * decode") when method arguments do not match their binary pattern exactly (a truncated
     * string, a table longer than the frame, bytes left over), so we do too, also where RabbitMQ
     * merely drops the connection (an unknown field type) or answers 541 INTERNAL_ERROR
     * (properties that do not match their flags): checked against RabbitMQ 3.10.
     */
    static AmqpException malformed(String text) {
        return new AmqpException(ReplyCode.FRAME_ERROR, text);
    }

    static String nonNull(String value) {
        return value == null ? "" : value;
    }

    static LongString nonNull(LongString value) {
        return value == null ? LongString.EMPTY : value;
    }

    static Map<String, Object> nonNull(Map<String, Object> value) {
        return value == null ? Map.of() : value;
    }
}
