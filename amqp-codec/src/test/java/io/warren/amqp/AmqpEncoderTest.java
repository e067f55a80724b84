package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.warren.amqp.TestFrames.body;
import static io.warren.amqp.TestFrames.concat;
import static io.warren.amqp.TestFrames.header;
import static io.warren.amqp.TestFrames.method;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AmqpEncoderTest {
    private static final BasicMethod.Deliver DELIVER = new BasicMethod.Deliver("ctag", 1, false, "ex", "rk");

    private final AmqpEncoder encoder = new AmqpEncoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(encoder);

    private static ContentHeader emptyHeader(long bodySize) {
        return ContentHeader.of(60, BasicProperties.EMPTY, bodySize);
    }

    @Test
    void aCommandWithoutContentIsOneMethodFrame() {
        channel.writeOutbound(new AmqpCommand(4, new BasicMethod.Ack(77, true)));
        assertArrayEquals(method(4, new BasicMethod.Ack(77, true)), TestFrames.outbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void aHeartbeatIsEightOctetsOnChannelZero() {
        channel.writeOutbound(AmqpHeartbeat.INSTANCE, AmqpHeartbeat.INSTANCE);
        assertArrayEquals(concat(TestFrames.heartbeat(), TestFrames.heartbeat()), TestFrames.outbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void bodiesAreSplitSoThatNoFrameExceedsFrameMax() {
        encoder.setMaxFrameSize(4096);
        byte[] body = new byte[10_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        channel.writeOutbound(new AmqpCommand(2, DELIVER, emptyHeader(body.length), Unpooled.wrappedBuffer(body)));
        byte[] expected = concat(method(2, DELIVER), header(2, body.length),
                body(2, Arrays.copyOfRange(body, 0, 4088)),
                body(2, Arrays.copyOfRange(body, 4088, 8176)),
                body(2, Arrays.copyOfRange(body, 8176, 10_000)));
        assertArrayEquals(expected, TestFrames.outbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void anEmptyBodySendsNoBodyFrame() {
        channel.writeOutbound(new AmqpCommand(1, DELIVER, emptyHeader(0), Unpooled.EMPTY_BUFFER));
        assertArrayEquals(concat(method(1, DELIVER), header(1, 0)), TestFrames.outbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void propertiesAreSentAsReceivedNotReEncoded() {
        // An 'L' field in the headers: decoding would re-encode it as 'l'.
        byte[] properties = TestFrames.bytes(0x20, 0, 0, 0, 0, 11, 1, 'k', 'L', 0, 0, 0, 0, 0, 0, 0, 5);
        byte[] publish = concat(method(1, new BasicMethod.Publish("", "q", false, false)),
                header(1, 60, 2, properties), body(1, TestFrames.bytes('h', 'i')));
        EmbeddedChannel decoder = TestFrames.decoderChannel();
        AmqpCommand received = (AmqpCommand) TestFrames.feed(decoder, publish, false).get(0);
        assertEquals(5L, received.header().headers().get("k"));
        channel.writeOutbound(new AmqpCommand(9, DELIVER, received.header(), received.body()));
        assertArrayEquals(concat(method(9, DELIVER), header(9, 60, 2, properties), body(9, TestFrames.bytes('h', 'i'))),
                TestFrames.outbound(channel));
        assertFalse(decoder.finish());
        assertFalse(channel.finish());
    }

    @Test
    void theBodyIsWrittenAsSlicesOfItselfNotCopied() {
        encoder.setMaxFrameSize(4096);
        ByteBuf body = Unpooled.buffer(6000).writeBytes(new byte[6000]);
        List<Object> out = new ArrayList<>();
        encoder.encode(ByteBufAllocator.DEFAULT, new AmqpCommand(1, DELIVER, emptyHeader(6000), body.retain()), out);
        // head (method + header + first body frame header), slice, end + next header, slice, end
        assertEquals(5, out.size());
        body.setByte(0, 'A');
        body.setByte(5999, 'Z');
        assertEquals('A', ((ByteBuf) out.get(1)).getByte(0), "the first slice shares the body's memory");
        ByteBuf last = (ByteBuf) out.get(3);
        assertEquals('Z', last.getByte(last.readableBytes() - 1), "so does the last");
        out.forEach(o -> ((ByteBuf) o).release());
        assertEquals(1, body.refCnt(), "the encoder released the command's reference");
        body.release();
    }

    @Test
    void aSmallBodyTravelsInsideTheFrameBufferAsOneWrite() {
        ByteBuf body = Unpooled.copiedBuffer("sixteen bytes!!!", StandardCharsets.UTF_8);
        List<Object> out = new ArrayList<>();
        encoder.encode(ByteBufAllocator.DEFAULT, new AmqpCommand(1, DELIVER, emptyHeader(16), body.retain()), out);
        assertEquals(1, out.size(), "method, header and body frames in one buffer");
        assertEquals(1, body.refCnt(), "the encoder released the command's reference");
        ByteBuf frames = (ByteBuf) out.get(0);
        assertEquals(AmqpCodecUtil.FRAME_END, frames.getUnsignedByte(frames.writerIndex() - 1));
        frames.release();
        body.release();
    }

    @Test
    void oneBodyCanGoOutInManyCommands() {
        ByteBuf body = Unpooled.copiedBuffer("shared", StandardCharsets.UTF_8);
        ContentHeader header = emptyHeader(6);
        for (int ch = 1; ch <= 3; ch++) {
            channel.writeOutbound(new AmqpCommand(ch, DELIVER, header.retain(), body.retain()));
        }
        byte[] out = TestFrames.outbound(channel);
        assertEquals(0, body.readerIndex(), "the encoder never moves the body's indices");
        assertEquals(1, body.refCnt());
        assertEquals(1, header.refCnt());
        EmbeddedChannel decoder = TestFrames.decoderChannel();
        List<Object> decoded = TestFrames.feed(decoder, out, false);
        assertEquals(3, decoded.size());
        for (Object o : decoded) {
            assertEquals("shared", ((AmqpCommand) o).body().toString(StandardCharsets.UTF_8));
        }
        TestFrames.release(decoded);
        body.release();
        header.release();
        assertFalse(decoder.finish());
        assertFalse(channel.finish());
    }

    @Test
    void aMethodThatCannotBeEncodedFailsThePromiseAndLeaksNothing() {
        ByteBuf body = Unpooled.copiedBuffer("x", StandardCharsets.UTF_8);
        BasicMethod.Deliver bad = new BasicMethod.Deliver("ctag", 1, false, "ex", "k".repeat(256));
        ChannelFuture future = channel.writeAndFlush(new AmqpCommand(1, bad, emptyHeader(1), body));
        assertInstanceOf(IllegalArgumentException.class, future.cause());
        assertEquals(0, body.refCnt(), "the command was released");
        assertNull(channel.readOutbound());
        assertFalse(channel.finish());
    }

    @Test
    void otherMessagesPassThrough() {
        ByteBuf raw = Unpooled.copiedBuffer("AMQP", StandardCharsets.US_ASCII);
        channel.writeOutbound(raw);
        assertArrayEquals("AMQP".getBytes(StandardCharsets.US_ASCII), TestFrames.outbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void aFrameMaxBelowTheSpecMinimumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> encoder.setMaxFrameSize(4095));
        encoder.setMaxFrameSize(0); // no limit
        ByteBuf body = Unpooled.buffer().writeBytes(new byte[200_000]);
        channel.writeOutbound(new AmqpCommand(1, DELIVER, emptyHeader(200_000), body));
        byte[] out = TestFrames.outbound(channel);
        assertEquals(method(1, DELIVER).length + header(1, 0).length + 8 + 200_000, out.length, "one body frame");
        assertFalse(channel.finish());
        assertEquals(0, body.refCnt());
    }

    @Test
    void theHeaderFrameCarriesTheBodysActualSize() {
        // A header reused from a message of another size still describes the body sent with it.
        ByteBuf body = Unpooled.copiedBuffer("four", StandardCharsets.UTF_8);
        channel.writeOutbound(new AmqpCommand(1, DELIVER, emptyHeader(99), body));
        byte[] out = TestFrames.outbound(channel);
        byte[] expected = concat(method(1, DELIVER), header(1, 4), body(1, "four".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(expected, out);
        assertFalse(channel.finish());
    }
}
