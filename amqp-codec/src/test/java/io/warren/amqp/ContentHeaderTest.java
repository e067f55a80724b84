package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.warren.amqp.TestFrames.bytes;
import static io.warren.amqp.TestFrames.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentHeaderTest {

    private static BasicProperties props(Map<String, Object> headers, Integer deliveryMode, Integer priority,
                                         String expiration, String contentType, String appId) {
        return new BasicProperties(contentType, null, headers, deliveryMode, priority, null, "reply",
                expiration, null, Instant.ofEpochSecond(5), null, null, appId, null);
    }

    static List<BasicProperties> combinations() {
        return List.of(
                BasicProperties.EMPTY,
                MethodSamples.fullProperties(),
                props(null, 2, null, null, null, null),
                props(null, null, 0, null, null, null),
                props(Map.of("x", 1), null, null, "1000", "text/plain", "app"),
                props(null, 1, 255, "", "", null),
                props(MethodSamples.table(), 2, 5, "60000", null, "app"));
    }

    /** A header as the decoder makes it: nothing decoded yet. */
    private static ContentHeader received(BasicProperties properties, long bodySize) {
        ContentHeader built = ContentHeader.of(60, properties, bodySize);
        ByteBuf frame = Unpooled.buffer();
        frame.writeShort(60).writeShort(0).writeLong(bodySize).writeBytes(built.rawProperties());
        built.release();
        try {
            return ContentHeader.read(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void theCheapAccessorsAgreeWithTheFullDecode() {
        for (BasicProperties p : combinations()) {
            ContentHeader header = received(p, 42);
            try {
                assertEquals(60, header.classId());
                assertEquals(42, header.bodySize());
                assertEquals(p.deliveryMode(), header.deliveryMode(), p.toString());
                assertEquals(p.priority(), header.priority(), p.toString());
                assertEquals(p.expiration(), header.expiration(), p.toString());
                assertEquals(p.headers(), header.headers(), p.toString());
                assertEquals(p, header.properties());
                assertEquals(ContentHeader.of(60, p, 42), header);
            } finally {
                header.release();
            }
        }
    }

    @Test
    void theCheapAccessorsDoNotDecodeTheRest() {
        // headers holding a field of unknown type 'Z' (its length is right), then delivery-mode
        // and expiration "9"
        byte[] properties = concat(bytes(0x31, 0), bytes(0, 0, 0, 3, 1, 'k', 'Z'), bytes(2), bytes(1, '9'));
        ByteBuf frame = Unpooled.wrappedBuffer(concat(bytes(0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), properties));
        ContentHeader header = ContentHeader.read(frame);
        frame.release();
        try {
            assertEquals(2, header.deliveryMode());
            assertNull(header.priority());
            assertEquals("9", header.expiration());
            assertEquals(ReplyCode.FRAME_ERROR, assertThrows(AmqpException.class, header::headers).replyCode());
            assertEquals(ReplyCode.FRAME_ERROR, assertThrows(AmqpException.class, header::properties).replyCode());
            assertArrayEquals(properties, ByteBufUtil.getBytes(header.rawProperties()));
        } finally {
            header.release();
        }
    }

    @Test
    void theLowFlagBitsAreIgnoredAsRabbitMqDoes() {
        ByteBuf frame = Unpooled.wrappedBuffer(bytes(0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 0x03, 2));
        ContentHeader header = ContentHeader.read(frame);
        frame.release();
        try {
            assertEquals(2, header.deliveryMode());
            assertEquals(new BasicProperties(null, null, null, 2, null, null, null, null, null, null, null, null,
                    null, null), header.properties());
        } finally {
            header.release();
        }
    }

    @Test
    void aStoredHeaderIsDecodedFromItsOwnBuffer() {
        ContentHeader built = ContentHeader.of(60, MethodSamples.fullProperties(), 7);
        ByteBuf stored = Unpooled.buffer();
        stored.writeShort(60).writeShort(0).writeLong(7).writeBytes(built.rawProperties());
        built.release();
        ContentHeader header = ContentHeader.decode(stored);
        assertEquals(1, stored.refCnt(), "the header holds the caller's reference, no more");
        assertEquals(MethodSamples.fullProperties(), header.properties());
        assertEquals(7, header.bodySize());
        header.release();
        assertEquals(0, stored.refCnt());

        ByteBuf tooShort = Unpooled.wrappedBuffer(bytes(0, 60, 0, 0));
        assertEquals(ReplyCode.FRAME_ERROR,
                assertThrows(AmqpException.class, () -> ContentHeader.decode(tooShort)).replyCode());
        assertEquals(0, tooShort.refCnt(), "released on failure too");
    }

    @Test
    void referenceCountingGoesThroughTheRawBytes() {
        ContentHeader header = received(MethodSamples.fullProperties(), 1);
        assertEquals(1, header.refCnt());
        header.retain();
        assertEquals(2, header.rawProperties().refCnt());
        header.release();
        header.release();
        assertEquals(0, header.rawProperties().refCnt());
    }

    @Test
    void octetPropertiesOutOfRangeCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> ContentHeader.of(60, props(null, 256, null, null, null, null), 0));
        assertThrows(IllegalArgumentException.class, () -> ContentHeader.of(60, props(null, null, -1, null, null, null), 0));
    }
}
