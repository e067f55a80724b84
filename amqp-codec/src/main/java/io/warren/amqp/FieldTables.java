package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field tables ({@code F}) and field arrays ({@code A}): decoding to Java values and encoding
 * back, byte for byte.
 *
 * <p>One Java type per wire tag, so that decode then encode gives the same bytes:
 * <pre>
 * tag  wire                     Java (decoded)          also accepted when encoding
 * t    boolean octet            Boolean                 (non-zero reads true, is written as 1)
 * b    signed 8-bit             Byte
 * B    unsigned 8-bit           UnsignedByte
 * s    signed 16-bit            Short
 * u    unsigned 16-bit          UnsignedShort
 * I    signed 32-bit            Integer
 * i    unsigned 32-bit          UnsignedInt
 * l    signed 64-bit            Long                    (RabbitMQ also reads L as signed 64-bit;
 *                                                        so do we, and like RabbitMQ we write l)
 * f    32-bit float             Float
 * d    64-bit double            Double
 * D    decimal: scale octet,    BigDecimal              scale 0..255, unscaled value must fit
 *      signed 32-bit value                              a signed 32-bit integer
 * S    long string              LongString              String (as UTF-8)
 * x    byte array               Binary                  byte[]
 * T    timestamp, seconds       Instant                 (sub-second part dropped)
 * F    nested table             Map&lt;String,Object&gt;
 * A    array                    List&lt;Object&gt;            Object[]
 * V    void                     null
 * </pre>
 * Decoded tables keep wire order and are unmodifiable, as are decoded arrays. A key repeated in
 * one table keeps its first value, as the RabbitMQ Java client does; a key that is not UTF-8 is
 * accepted as RabbitMQ accepts it, its bad sequences read as U+FFFD (so it alone would not
 * re-encode identically). A table read whole that is longer than {@value #COMPACT_ABOVE}
 * bytes keeps only its bytes ({@link EncodedTable}): decoded, it would cost the heap twenty times
 * its size for as long as it is kept. Nesting deeper than
 * {@value #MAX_DEPTH} levels is refused: each level costs a few bytes, and a frame full of them
 * would otherwise exhaust the stack.
 *
 * <p>Malformed input (unknown tag, a length running past the end of the table, a timestamp
 * outside {@link Instant}'s range) is {@link ReplyCode#FRAME_ERROR}, see
 * {@link AmqpCodecUtil#malformed}. Values of other Java types cannot be encoded:
 * {@link IllegalArgumentException}.
 */
public final class FieldTables {
    static final int MAX_DEPTH = 64;
    /** A table read whole that is longer than this keeps only its bytes ({@link EncodedTable}). */
    static final int COMPACT_ABOVE = 4096;

    private FieldTables() {
    }

    /**
     * Reads a table (its 32-bit length, then its fields) at the reader index, advancing it.
     *
     * @throws AmqpException {@link ReplyCode#FRAME_ERROR} when the bytes do not form a table
     */
    public static Map<String, Object> decode(ByteBuf in) {
        try {
            return readTable(in, 0);
        } catch (IndexOutOfBoundsException e) {
            throw AmqpCodecUtil.malformed("field table truncated");
        }
    }

    /** Writes {@code table} (its length, then its fields); null is written as an empty table. */
    public static void encode(Map<String, Object> table, ByteBuf out) {
        writeTable(out, table == null ? Map.of() : table);
    }

    /** How many bytes {@link #encode} writes for {@code table}, the 4-byte length included. */
    public static int encodedSize(Map<String, Object> table) {
        if (table instanceof EncodedTable e) {
            return e.encodedSize();
        }
        int size = 4;
        if (table != null) {
            for (Map.Entry<String, Object> entry : table.entrySet()) {
                size += 1 + ByteBufUtil.utf8Bytes(entry.getKey()) + valueSize(entry.getValue());
            }
        }
        return size;
    }

    static Map<String, Object> readTable(ByteBuf in, int depth) {
        int length = AmqpCodecUtil.readLength(in, "field table");
        if (length == 0) {
            return Map.of();
        }
        int start = in.readerIndex();
        Map<String, Object> table = readFields(in, length, depth);
        if (depth == 0 && length > COMPACT_ABOVE) {
            byte[] fields = new byte[length];
            in.getBytes(start, fields);
            return new EncodedTable(fields, table);
        }
        return table;
    }

    /** A table's {@code length} bytes of fields, its length prefix already read. */
    static Map<String, Object> readFields(ByteBuf in, int length, int depth) {
        checkDepth(depth);
        // Bound the buffer to the table, so that a value claiming to run past the table's end
        // fails like one running past the frame's end.
        int end = in.readerIndex() + length;
        int writerIndex = in.writerIndex();
        in.writerIndex(end);
        try {
            Map<String, Object> table = new LinkedHashMap<>();
            while (in.isReadable()) {
                // Keys are not checked for UTF-8: RabbitMQ does not check them either.
                String key = AmqpCodecUtil.readShortstrLenient(in);
                table.putIfAbsent(key, readValue(in, depth));
            }
            return Collections.unmodifiableMap(table);
        } finally {
            in.writerIndex(writerIndex);
        }
    }

    private static List<Object> readArray(ByteBuf in, int depth) {
        int length = AmqpCodecUtil.readLength(in, "field array");
        if (length == 0) {
            return List.of();
        }
        checkDepth(depth);
        int end = in.readerIndex() + length;
        int writerIndex = in.writerIndex();
        in.writerIndex(end);
        try {
            List<Object> array = new ArrayList<>();
            while (in.isReadable()) {
                array.add(readValue(in, depth));
            }
            return Collections.unmodifiableList(array);
        } finally {
            in.writerIndex(writerIndex);
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw AmqpCodecUtil.malformed("field tables nested deeper than " + MAX_DEPTH);
        }
    }

    private static Object readValue(ByteBuf in, int depth) {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 'S' -> AmqpCodecUtil.readLongstr(in);
            case 'I' -> in.readInt();
            case 't' -> in.readByte() != 0;
            case 'l', 'L' -> in.readLong();
            case 'F' -> readTable(in, depth + 1);
            case 'A' -> readArray(in, depth + 1);
            case 'b' -> in.readByte();
            case 'B' -> new UnsignedByte(in.readUnsignedByte());
            case 's' -> in.readShort();
            case 'u' -> new UnsignedShort(in.readUnsignedShort());
            case 'i' -> new UnsignedInt(in.readUnsignedInt());
            case 'f' -> Float.intBitsToFloat(in.readInt());
            case 'd' -> Double.longBitsToDouble(in.readLong());
            case 'D' -> readDecimal(in);
            case 'T' -> readTimestamp(in);
            case 'x' -> Binary.read(in, AmqpCodecUtil.readLength(in, "byte array"));
            case 'V' -> null;
            default -> throw AmqpCodecUtil.malformed("unknown field type '" + printable(tag) + "'");
        };
    }

    private static BigDecimal readDecimal(ByteBuf in) {
        int scale = in.readUnsignedByte();
        return new BigDecimal(BigInteger.valueOf(in.readInt()), scale);
    }

    static Instant readTimestamp(ByteBuf in) {
        long seconds = in.readLong();
        try {
            return Instant.ofEpochSecond(seconds);
        } catch (DateTimeException e) {
            throw AmqpCodecUtil.malformed("timestamp out of range: " + seconds);
        }
    }

    private static String printable(int tag) {
        return tag >= 0x20 && tag < 0x7F
                ? String.valueOf((char) tag)
                : String.format("\\x%02x", tag);
    }

    static void writeTable(ByteBuf out, Map<String, Object> table) {
        if (table instanceof EncodedTable e) {
            e.writeTo(out);
            return;
        }
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Map.Entry<String, Object> entry : table.entrySet()) {
            AmqpCodecUtil.writeShortstr(out, entry.getKey());
            writeValue(out, entry.getValue());
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    private static void writeArray(ByteBuf out, Iterable<?> array) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Object value : array) {
            writeValue(out, value);
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(ByteBuf out, Object value) {
        if (value instanceof LongString s) {
            out.writeByte('S');
            AmqpCodecUtil.writeLongstr(out, s);
        } else if (value instanceof String s) {
            out.writeByte('S');
            int lengthIndex = out.writerIndex();
            out.writeInt(0);
            out.setInt(lengthIndex, ByteBufUtil.writeUtf8(out, s));
        } else if (value instanceof Integer i) {
            out.writeByte('I').writeInt(i);
        } else if (value instanceof Boolean b) {
            out.writeByte('t').writeByte(b ? 1 : 0);
        } else if (value instanceof Long l) {
            out.writeByte('l').writeLong(l);
        } else if (value instanceof Map<?, ?> m) {
            out.writeByte('F');
            writeTable(out, (Map<String, Object>) m);
        } else if (value instanceof List<?> list) {
            out.writeByte('A');
            writeArray(out, list);
        } else if (value instanceof Object[] array) {
            out.writeByte('A');
            writeArray(out, Arrays.asList(array));
        } else if (value instanceof Byte b) {
            out.writeByte('b').writeByte(b);
        } else if (value instanceof UnsignedByte b) {
            out.writeByte('B').writeByte(b.value());
        } else if (value instanceof Short s) {
            out.writeByte('s').writeShort(s);
        } else if (value instanceof UnsignedShort u) {
            out.writeByte('u').writeShort(u.value());
        } else if (value instanceof UnsignedInt u) {
            out.writeByte('i').writeInt((int) u.value());
        } else if (value instanceof Float f) {
            out.writeByte('f').writeInt(Float.floatToRawIntBits(f));
        } else if (value instanceof Double d) {
            out.writeByte('d').writeLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof BigDecimal d) {
            out.writeByte('D').writeByte(decimalScale(d)).writeInt(decimalUnscaled(d));
        } else if (value instanceof Instant t) {
            out.writeByte('T').writeLong(t.getEpochSecond());
        } else if (value instanceof Binary b) {
            out.writeByte('x').writeInt(b.length());
            b.writeTo(out);
        } else if (value instanceof byte[] b) {
            out.writeByte('x').writeInt(b.length).writeBytes(b);
        } else if (value == null) {
            out.writeByte('V');
        } else {
            throw new IllegalArgumentException(
                    "no AMQP field type for " + value.getClass().getName() + ": " + value);
        }
    }

    private static int decimalScale(BigDecimal d) {
        if (d.scale() < 0 || d.scale() > 255) {
            throw new IllegalArgumentException("decimal scale outside 0..255: " + d);
        }
        return d.scale();
    }

    private static int decimalUnscaled(BigDecimal d) {
        BigInteger unscaled = d.unscaledValue();
        if (unscaled.bitLength() > 31) {
            throw new IllegalArgumentException("decimal unscaled value wider than 32 bits: " + d);
        }
        return unscaled.intValue();
    }

    @SuppressWarnings("unchecked")
    private static int valueSize(Object value) {
        if (value instanceof LongString s) {
            return 5 + s.length();
        } else if (value instanceof String s) {
            return 5 + ByteBufUtil.utf8Bytes(s);
        } else if (value instanceof Integer || value instanceof Float
                || value instanceof UnsignedInt) {
            return 5;
        } else if (value instanceof Long || value instanceof Double || value instanceof Instant) {
            return 9;
        } else if (value instanceof Boolean || value instanceof Byte
                || value instanceof UnsignedByte) {
            return 2;
        } else if (value instanceof Short || value instanceof UnsignedShort) {
            return 3;
        } else if (value instanceof Map<?, ?> m) {
            return 1 + encodedSize((Map<String, Object>) m);
        } else if (value instanceof List<?> list) {
            return 1 + arraySize(list);
        } else if (value instanceof Object[] array) {
            return 1 + arraySize(Arrays.asList(array));
        } else if (value instanceof BigDecimal) {
            return 6;
        } else if (value instanceof Binary b) {
            return 5 + b.length();
        } else if (value instanceof byte[] b) {
            return 5 + b.length;
        } else if (value == null) {
            return 1;
        }
        throw new IllegalArgumentException(
                "no AMQP field type for " + value.getClass().getName() + ": " + value);
    }

    private static int arraySize(List<?> array) {
        int size = 4;
        for (Object value : array) {
            size += valueSize(value);
        }
        return size;
    }
}
