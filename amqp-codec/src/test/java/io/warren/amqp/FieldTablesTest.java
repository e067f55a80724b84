package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.warren.amqp.TestFrames.bytes;
import static io.warren.amqp.TestFrames.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldTablesTest {

    /** One field of every type the RabbitMQ clients send, written byte by byte. */
    private static final byte[] EVERY_TYPE = concat(
            field("t", 't', bytes(1)),
            field("b", 'b', bytes(0x80)),
            field("B", 'B', bytes(0xFF)),
            field("s", 's', bytes(0x80, 0x00)),
            field("u", 'u', bytes(0xFF, 0xFF)),
            field("I", 'I', bytes(0x80, 0, 0, 0)),
            field("i", 'i', bytes(0xFF, 0xFF, 0xFF, 0xFF)),
            field("l", 'l', bytes(0x80, 0, 0, 0, 0, 0, 0, 1)),
            field("f", 'f', bytes(0x3F, 0xA0, 0, 0)),
            field("d", 'd', bytes(0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18)),
            field("D", 'D', bytes(3, 0xFF, 0xFF, 0xFF, 0x85)),
            field("S", 'S', concat(bytes(0, 0, 0, 3), "h\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
            field("A", 'A', bytes(0, 0, 0, 7, 'I', 0, 0, 0, 5, 'V', 'V')),
            field("T", 'T', bytes(0, 0, 0, 0, 0x65, 0x53, 0xF1, 0x00)),
            field("F", 'F', bytes(0, 0, 0, 4, 1, 'n', 'b', 1)),
            field("V", 'V', bytes()),
            field("x", 'x', bytes(0, 0, 0, 2, 0xDE, 0xAD)));

    private static byte[] field(String name, char tag, byte[] value) {
        return concat(bytes(name.length()), name.getBytes(), bytes(tag), value);
    }

    private static byte[] table(byte[] fields) {
        return concat(bytes(fields.length >>> 24, fields.length >>> 16, fields.length >>> 8, fields.length), fields);
    }

    @Test
    void everyTypeDecodesToItsJavaType() {
        Map<String, Object> table = decode(table(EVERY_TYPE));
        assertEquals(List.of("t", "b", "B", "s", "u", "I", "i", "l", "f", "d", "D", "S", "A", "T", "F", "V", "x"),
                new ArrayList<>(table.keySet()), "wire order is kept");
        assertEquals(true, table.get("t"));
        assertEquals((byte) -128, table.get("b"));
        assertEquals(new UnsignedByte(255), table.get("B"));
        assertEquals((short) -32768, table.get("s"));
        assertEquals(new UnsignedShort(65535), table.get("u"));
        assertEquals(Integer.MIN_VALUE, table.get("I"));
        assertEquals(new UnsignedInt(0xFFFF_FFFFL), table.get("i"));
        assertEquals(Long.MIN_VALUE + 1, table.get("l"));
        assertEquals(1.25f, table.get("f"));
        assertEquals(-Math.PI, table.get("d"));
        assertEquals(new BigDecimal("-0.123"), table.get("D"));
        assertEquals(LongString.of("hé"), table.get("S"));
        assertEquals(Arrays.asList(5, null, null), table.get("A"));
        assertEquals(Instant.ofEpochSecond(0x6553F100L), table.get("T"));
        assertEquals(Map.of("n", (byte) 1), table.get("F"));
        assertTrue(table.containsKey("V"));
        assertNull(table.get("V"));
        assertEquals(Binary.of(bytes(0xDE, 0xAD)), table.get("x"));
    }

    @Test
    void everyTypeReEncodesByteForByte() {
        byte[] wire = table(EVERY_TYPE);
        Map<String, Object> table = decode(wire);
        assertArrayEquals(wire, encode(table));
        assertEquals(wire.length, FieldTables.encodedSize(table));
    }

    @Test
    void nestedTablesAndArraysReEncodeByteForByte() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("u", new UnsignedShort(7));
        inner.put("list", List.of(new UnsignedInt(1), new UnsignedByte(2), List.of(Map.of("deep", true))));
        Map<String, Object> table = new LinkedHashMap<>(MethodSamples.table());
        table.put("inner", inner);
        table.put("arrayOfTables", List.of(inner, inner));
        byte[] wire = encode(table);
        Map<String, Object> decoded = decode(wire);
        assertEquals(table, decoded);
        assertArrayEquals(wire, encode(decoded));
        assertEquals(wire.length, FieldTables.encodedSize(table));
    }

    @Test
    void extraJavaTypesAreAcceptedWhenEncoding() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("string", "text");
        table.put("bytes", bytes(1, 2));
        table.put("objects", new Object[] {1, null});
        Map<String, Object> decoded = decode(encode(table));
        assertEquals(LongString.of("text"), decoded.get("string"));
        assertEquals(Binary.of(bytes(1, 2)), decoded.get("bytes"));
        assertEquals(Arrays.asList(1, null), decoded.get("objects"));
        assertEquals(encode(table).length, FieldTables.encodedSize(table));
    }

    @Test
    void lAndBooleanOctetsFollowRabbitMq() {
        // RabbitMQ reads 'L' as a signed 64-bit integer and writes it back as 'l'.
        Map<String, Object> table = decode(table(field("L", 'L', bytes(0, 0, 0, 0, 0, 0, 0, 9))));
        assertEquals(9L, table.get("L"));
        assertArrayEquals(table(field("L", 'l', bytes(0, 0, 0, 0, 0, 0, 0, 9))), encode(table));
        // Any non-zero octet is true.
        assertEquals(true, decode(table(field("t", 't', bytes(2)))).get("t"));
    }

    @Test
    void aRepeatedKeyKeepsItsFirstValue() {
        Map<String, Object> table = decode(table(concat(field("k", 'I', bytes(0, 0, 0, 1)),
                field("k", 'I', bytes(0, 0, 0, 2)))));
        assertEquals(Map.of("k", 1), table);
    }

    @Test
    void aKeyThatIsNotUtf8IsAcceptedAsRabbitMqAcceptsIt() {
        Map<String, Object> table = decode(table(concat(bytes(2, 0xC3, 0x28), bytes('V'))));
        assertEquals(Set.of("\uFFFD("), table.keySet());
    }

    @Test
    void decodedTablesAreUnmodifiable() {
        Map<String, Object> table = decode(table(EVERY_TYPE));
        assertThrows(UnsupportedOperationException.class, () -> table.put("new", 1));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) table.get("A")).clear());
    }

    @Test
    void malformedTablesAreFrameErrors() {
        assertFrameError(table(field("z", 'Z', bytes())), "unknown field type 'Z'");
        assertFrameError(table(field("I", 'I', bytes(0, 0))), "truncated");
        assertFrameError(bytes(0, 0, 0, 9, 1, 'k'), "runs past");
        // A long string running past the end of its table, though not past the buffer.
        assertFrameError(concat(table(field("S", 'S', bytes(0, 0, 0, 9))), bytes(1, 2, 3, 4, 5, 6, 7, 8, 9)),
                "runs past");
        assertFrameError(table(field("T", 'T', bytes(0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))),
                "timestamp out of range");
    }

    @Test
    void aLengthOf4GiBAllocatesNothing() {
        assertFrameError(table(field("S", 'S', bytes(0xFF, 0xFF, 0xFF, 0xFF))), "4294967295 bytes runs past");
        assertFrameError(table(field("x", 'x', bytes(0x7F, 0xFF, 0xFF, 0xFF))), "runs past");
    }

    @Test
    void nestingIsLimited() {
        byte[] deep = bytes();
        for (int i = 0; i < FieldTables.MAX_DEPTH + 1; i++) {
            deep = field("n", 'F', table(deep));
        }
        assertFrameError(table(deep), "nested deeper");
        byte[] allowed = bytes();
        for (int i = 0; i < FieldTables.MAX_DEPTH - 1; i++) {
            allowed = field("n", 'F', table(allowed));
        }
        assertInstanceOf(Map.class, decode(table(allowed)).get("n"));
    }

    @Test
    void valuesOfNoAmqpTypeAreRefused() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> FieldTables.encode(Map.of("k", new Object()), out));
            assertThrows(IllegalArgumentException.class,
                    () -> FieldTables.encode(Map.of("k", new BigDecimal("1e-300")), out));
            assertThrows(IllegalArgumentException.class,
                    () -> FieldTables.encode(Map.of("k", new BigDecimal("12345678901")), out));
            assertThrows(IllegalArgumentException.class, () -> new UnsignedByte(256));
            assertThrows(IllegalArgumentException.class, () -> new UnsignedInt(-1));
        } finally {
            out.release();
        }
    }

    @Test
    void nullAndEmptyTablesAreFourZeroBytes() {
        assertArrayEquals(bytes(0, 0, 0, 0), encode(null));
        assertEquals(Map.of(), decode(bytes(0, 0, 0, 0)));
        assertEquals(4, FieldTables.encodedSize(null));
    }

    private static void assertFrameError(byte[] wire, String text) {
        AmqpException e = assertThrows(AmqpException.class, () -> decode(wire));
        assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
        assertTrue(e.replyText().contains(text), e.replyText());
    }

    static Map<String, Object> decode(byte[] wire) {
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        try {
            Map<String, Object> table = FieldTables.decode(in);
            assertEquals(wire.length, in.readerIndex(), "reads exactly the table");
            return table;
        } finally {
            in.release();
        }
    }

    static byte[] encode(Map<String, Object> table) {
        ByteBuf out = Unpooled.buffer();
        try {
            FieldTables.encode(table, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** {@code n} fields with distinct three-letter keys and boolean values: 6 bytes a field. */
    private static byte[] manySmallFields(int n) {
        byte[] fields = new byte[6 * n];
        for (int i = 0, p = 0; i < n; i++) {
            fields[p++] = 3;
            fields[p++] = (byte) ('0' + i / 4096);
            fields[p++] = (byte) ('0' + i / 64 % 64);
            fields[p++] = (byte) ('0' + i % 64);
            fields[p++] = 't';
            fields[p++] = (byte) (i & 1);
        }
        return fields;
    }

    /**
     * A table of 20,000 small fields (a frame's worth) kept decoded would cost the heap some 10-20
     * times its 120 KB, for as long as a queue or a message keeps it: a client could fill the
     * heap twenty times faster than it sends. Kept, 100 of them cost about their bytes; read,
     * they are the same tables, written back byte for byte.
     */
    @Test
    void largeTablesCostTheHeapAboutTheirBytes() {
        byte[] wire = table(manySmallFields(20_000));
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        List<Map<String, Object>> kept = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            kept.add(decode(wire));
        }
        System.gc();
        long cost = rt.totalMemory() - rt.freeMemory() - before;
        assertTrue(cost < 5L * 100 * wire.length, "100 tables of " + wire.length + " bytes kept "
                + (cost >> 20) + " MiB of heap");

        Map<String, Object> first = kept.get(0);
        assertEquals(20_000, first.size());
        assertEquals(Boolean.TRUE, first.get("001"));
        Map<String, Object> plain = new LinkedHashMap<>(first);
        assertEquals(plain, first);
        assertEquals(first, plain);
        assertEquals(plain.hashCode(), first.hashCode());
        assertEquals(wire.length, FieldTables.encodedSize(first));
        ByteBuf out = Unpooled.buffer();
        try {
            FieldTables.encode(first, out);
            assertArrayEquals(wire, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
        assertThrows(UnsupportedOperationException.class, () -> first.put("x", 1));
    }
}
