package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.warren.amqp.TestFrames.bytes;
import static io.warren.amqp.TestFrames.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AmqpProtocolHeaderDecoderTest {
    private static final byte[] AMQP_0_9_1 = bytes('A', 'M', 'Q', 'P', 0, 0, 9, 1);

    /** Records what reaches it. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    @ParameterizedTest(name = "one byte at a time: {0}")
    @ValueSource(booleans = {false, true})
    void amqp091IsAnnouncedAndTheRestGoesToTheFrameDecoder(boolean byteAtATime) {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new AmqpProtocolHeaderDecoder(), new AmqpDecoder(), recorder);
        List<Object> out = TestFrames.feed(channel, concat(AMQP_0_9_1, TestFrames.heartbeat()), byteAtATime);
        assertEquals(List.of(ProtocolHeader.AMQP_0_9_1), recorder.events);
        assertEquals(List.of(AmqpHeartbeat.INSTANCE), out, "bytes after the header reach the frame decoder");
        assertNull(channel.pipeline().get(AmqpProtocolHeaderDecoder.class), "the header decoder removed itself");
        assertTrue(channel.isOpen());
        assertNull(channel.readOutbound());
        assertFalse(channel.finish());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AMQP\u0000\u0000\u0009\u0000", "AMQP\u0001\u0001\u0000\u0009", "AMQP\u0003\u0001\u0000\u0000",
            "GET / HTTP/1.1\r\n"})
    void anyOtherHeaderIsAnsweredWith091AndTheSocketClosed(String received) {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new AmqpProtocolHeaderDecoder(), recorder);
        TestFrames.feed(channel, received.getBytes(StandardCharsets.ISO_8859_1), false);
        assertArrayEquals(AMQP_0_9_1, TestFrames.outbound(channel));
        assertFalse(channel.isOpen());
        assertTrue(recorder.events.isEmpty());
        assertFalse(channel.finish());
    }

    @Test
    void fewerThanEightOctetsWait() {
        EmbeddedChannel channel = new EmbeddedChannel(new AmqpProtocolHeaderDecoder());
        TestFrames.feed(channel, bytes('A', 'M', 'Q', 'P', 0, 0, 9), false);
        assertTrue(channel.isOpen());
        assertNull(channel.readOutbound());
        assertFalse(channel.finish());
    }

    @Test
    void theSeamCanHandAnAmqp10ConnectionToAnotherFront() {
        List<ProtocolHeader> seen = new ArrayList<>();
        List<ByteBuf> forwarded = new ArrayList<>();
        ChannelInboundHandlerAdapter amqp10Front = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                forwarded.add((ByteBuf) msg);
            }
        };
        ProtocolMismatchHandler seam = (ctx, header) -> {
            seen.add(header);
            if (header.isAmqp() && header.major() == 1) {
                ctx.pipeline().replace(ctx.name(), "amqp10", amqp10Front);
            } else {
                ProtocolMismatchHandler.REFUSE.onMismatch(ctx, header);
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(new AmqpProtocolHeaderDecoder(seam));
        byte[] sasl = bytes('A', 'M', 'Q', 'P', 3, 1, 0, 0);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(sasl, bytes(0, 0, 0, 0x3F))));
        assertEquals(List.of(ProtocolHeader.AMQP_1_0_SASL), seen);
        assertEquals("AMQP 3 1 0 0", seen.get(0).toString());
        assertSame(amqp10Front, channel.pipeline().get("amqp10"));
        assertEquals(1, forwarded.size());
        assertArrayEquals(bytes(0, 0, 0, 0x3F), ByteBufUtil.getBytes(forwarded.get(0)), "what followed the header");
        forwarded.forEach(ByteBuf::release);
        assertTrue(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void headersDescribeThemselves() {
        assertTrue(ProtocolHeader.AMQP_0_9_1.isAmqp());
        assertEquals(9, ProtocolHeader.AMQP_0_9_1.minor());
        assertEquals(1, ProtocolHeader.AMQP_0_9_1.revision());
        ProtocolHeader http = ProtocolHeader.read(Unpooled.wrappedBuffer("GET / HT".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(http.isAmqp());
        assertTrue(http.toString().contains("GET / HT"), http.toString());
    }
}
