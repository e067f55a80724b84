package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.warren.amqp.TestFrames.body;
import static io.warren.amqp.TestFrames.bytes;
import static io.warren.amqp.TestFrames.concat;
import static io.warren.amqp.TestFrames.feed;
import static io.warren.amqp.TestFrames.frame;
import static io.warren.amqp.TestFrames.header;
import static io.warren.amqp.TestFrames.heartbeat;
import static io.warren.amqp.TestFrames.method;
import static io.warren.amqp.TestFrames.publish;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AmqpDecoderTest {
    private final EmbeddedChannel channel = TestFrames.decoderChannel();

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "one byte at a time: {0}")
    @ValueSource(booleans = {false, true})
    void framesBecomeCommandsWhetherTheyArriveWholeOrByteByByte(boolean byteAtATime) {
        byte[] input = concat(
                heartbeat(),
                method(1, new ChannelMethod.Open()),
                publish(1, "rk"),
                header(1, 11),
                body(1, text("hello ")),
                body(1, text("world")),
                method(1, new BasicMethod.Ack(9, false)),
                publish(2, "empty"),
                header(2, 0));
        List<Object> out = feed(channel, input, byteAtATime);
        try {
            assertEquals(5, out.size(), out.toString());
            assertSame(AmqpHeartbeat.INSTANCE, out.get(0));
            assertEquals(new AmqpCommand(1, new ChannelMethod.Open()), out.get(1));
            AmqpCommand publish = (AmqpCommand) out.get(2);
            assertEquals(1, publish.channel());
            assertEquals(new BasicMethod.Publish("", "rk", false, false), publish.method());
            assertEquals(11, publish.header().bodySize());
            assertEquals("hello world", publish.body().toString(StandardCharsets.UTF_8));
            assertEquals(new AmqpCommand(1, new BasicMethod.Ack(9, false)), out.get(3));
            AmqpCommand empty = (AmqpCommand) out.get(4);
            assertEquals(2, empty.channel());
            assertEquals(0, empty.body().readableBytes(), "a zero body size completes at the header");
        } finally {
            TestFrames.release(out);
        }
        assertFalse(channel.finish());
    }

    @Test
    void contentOfDifferentChannelsMayInterleave() {
        List<Object> out = feed(channel, concat(
                publish(1, "one"), publish(2, "two"),
                header(2, 3), header(1, 4),
                body(1, text("on")), body(2, text("two")), body(1, text("e!"))), false);
        try {
            assertEquals(2, out.size());
            AmqpCommand two = (AmqpCommand) out.get(0);
            AmqpCommand one = (AmqpCommand) out.get(1);
            assertEquals(2, two.channel());
            assertEquals("two", two.body().toString(StandardCharsets.UTF_8));
            assertEquals(1, one.channel());
            assertEquals("one!", one.body().toString(StandardCharsets.UTF_8));
        } finally {
            TestFrames.release(out);
        }
        assertFalse(channel.finish());
    }

    @Test
    void aSmallContentIsCopiedOutOfTheInputWhenAskedAndABigOrSplitOneIsSliced() {
        AmqpDecoder decoder = new AmqpDecoder();
        decoder.copyContentUpTo(4);
        EmbeddedChannel copying = new EmbeddedChannel(decoder);
        ByteBuf input = Unpooled.wrappedBuffer(concat(
                publish(1, "rk"), header(1, 4), body(1, text("abcd")),
                publish(1, "rk"), header(1, 5), body(1, text("efghi")),
                publish(1, "rk"), header(1, 4), body(1, text("jk")), body(1, text("lm"))));
        input.retain(); // to see what the commands keep of it
        copying.writeInbound(input);
        AmqpCommand small = copying.readInbound();
        AmqpCommand big = copying.readInbound();
        AmqpCommand split = copying.readInbound();
        try {
            assertEquals("abcd", small.body().toString(StandardCharsets.UTF_8));
            assertEquals(null, small.body().unwrap(), "the small body is an array of its own");
            assertEquals(4, small.body().array().length);
            assertEquals(null, small.header().rawProperties().unwrap(), "and so are its properties");
            assertEquals("efghi", big.body().toString(StandardCharsets.UTF_8));
            assertNotNull(big.body().unwrap(), "above the limit the body is a slice");
            assertNotNull(big.header().rawProperties().unwrap());
            assertEquals("jklm", split.body().toString(StandardCharsets.UTF_8));
            assertInstanceOf(CompositeByteBuf.class, split.body(), "a body over two frames is sliced");
            assertEquals(null, split.header().rawProperties().unwrap());
            int kept = input.refCnt();
            small.release();
            assertEquals(kept, input.refCnt(), "the small command held no reference to the input");
        } finally {
            big.release();
            split.release();
        }
        assertEquals(1, input.refCnt());
        input.release();
        assertFalse(copying.finish());
    }

    @Test
    void aSmallPersistentContentIsLeftForTheBrokersStoreCopy() {
        AmqpDecoder decoder = new AmqpDecoder();
        decoder.copyContentUpTo(4096);
        EmbeddedChannel copying = new EmbeddedChannel(decoder);
        // flags: delivery mode only (bit 12), value 2; then the same with value 1
        copying.writeInbound(Unpooled.wrappedBuffer(concat(
                publish(1, "rk"), header(1, 60, 3, bytes(0x10, 0x00, 2)), body(1, text("abc")),
                publish(1, "rk"), header(1, 60, 3, bytes(0x10, 0x00, 1)), body(1, text("def")))));
        AmqpCommand persistent = copying.readInbound();
        AmqpCommand transientOne = copying.readInbound();
        try {
            assertTrue(persistent.header().persistentMode());
            assertNotNull(persistent.body().unwrap(), "a persistent body stays a slice");
            assertNotNull(persistent.header().rawProperties().unwrap());
            assertEquals(false, transientOne.header().persistentMode());
            assertEquals(null, transientOne.body().unwrap(), "a transient one is copied");
            assertEquals(null, transientOne.header().rawProperties().unwrap());
        } finally {
            persistent.release();
            transientOne.release();
        }
        assertFalse(copying.finish());
    }

    @Test
    void aBodyOfManyFramesIsACompositeOfSlicesOfTheInputNotACopy() {
        int firstBodyByte = publish(1, "rk").length + header(1, 9).length + 7;
        ByteBuf input = Unpooled.wrappedBuffer(concat(publish(1, "rk"), header(1, 9),
                body(1, text("abc")), body(1, text("def")), body(1, text("ghi"))));
        input.retain(); // keep it to write into after decoding
        channel.writeInbound(input);
        AmqpCommand command = channel.readInbound();
        try {
            CompositeByteBuf composite = assertInstanceOf(CompositeByteBuf.class, command.body());
            assertEquals(3, composite.numComponents());
            assertEquals("abcdefghi", command.body().toString(StandardCharsets.UTF_8));
            input.setByte(firstBodyByte, 'X');
            assertEquals("Xbcdefghi", command.body().toString(StandardCharsets.UTF_8),
                    "the body shares the input's memory");
        } finally {
            command.release();
        }
        assertEquals(1, input.refCnt(), "releasing the command gives back the slices");
        input.release();
        assertFalse(channel.finish());
    }

    @Test
    void theRawPropertiesAreASliceOfTheInputToo() {
        byte[] properties = concat(bytes(0x10, 0), bytes(2)); // delivery-mode 2
        ByteBuf input = Unpooled.wrappedBuffer(concat(publish(1, "rk"), header(1, 60, 0, properties)));
        input.retain();
        channel.writeInbound(input);
        AmqpCommand command = channel.readInbound();
        try {
            assertEquals(2, command.header().deliveryMode());
            assertArrayEquals(properties, ByteBufUtil.getBytes(command.header().rawProperties()));
            input.setByte(input.writerIndex() - 2, 1);
            assertEquals(1, command.header().deliveryMode());
        } finally {
            command.release();
        }
        assertEquals(1, input.refCnt());
        input.release();
        assertFalse(channel.finish());
    }

    // --- frame errors: 501, then nothing more -----------------------------------------------

    @Test
    void aBadFrameEndIsAFrameError() {
        byte[] frame = method(1, new BasicMethod.Ack(1, false));
        frame[frame.length - 1] = 0;
        AmqpException e = assertConnectionError(frame, ReplyCode.FRAME_ERROR, 1, "{invalid_frame_end_marker,0}");
        assertEquals("type 1, all octets = <<0,60,0,80,0,0,0,0,0,0,0,1,0>>: {invalid_frame_end_marker,0}", e.replyText());
    }

    @Test
    void aFrameOverFrameMaxIsRefusedFromItsHeaderAlone() {
        // Type, channel 1, size 2 GiB - 1: no payload follows, and none is waited for.
        AmqpException e = assertConnectionError(bytes(3, 0, 1, 0x7F, 0xFF, 0xFF, 0xFF),
                ReplyCode.FRAME_ERROR, 1, "frame_too_large");
        assertEquals("type 3, all octets = <<>>: {frame_too_large,2147483647,131064}", e.replyText());
    }

    @Test
    void aPayloadMayReachFrameMaxButNotExceedIt() {
        AmqpDecoder decoder = new AmqpDecoder(4096, AmqpDecoder.DEFAULT_MAX_BODY_SIZE);
        EmbeddedChannel small = new EmbeddedChannel(decoder);
        List<Object> out = feed(small, concat(publish(1, "rk"), header(1, 4096), body(1, new byte[4096])), false);
        assertEquals(1, out.size(), "RabbitMQ's fudge: a payload of frame_max octets is accepted");
        TestFrames.release(out);
        out = feed(small, concat(publish(1, "rk"), header(1, 4097), body(1, new byte[4097])), false);
        assertEquals(ReplyCode.FRAME_ERROR, ((AmqpException) out.get(0)).replyCode());
        assertFalse(small.finish());
    }

    @Test
    void setMaxFrameSizeAppliesToTheNextFrame() {
        AmqpDecoder decoder = channel.pipeline().get(AmqpDecoder.class);
        decoder.setMaxFrameSize(4096);
        assertConnectionError(body(1, new byte[5000]), ReplyCode.FRAME_ERROR, 1, "frame_too_large");
    }

    @Test
    void anUnknownFrameTypeIsAFrameError() {
        assertConnectionError(frame(4, 0, bytes(7)), ReplyCode.FRAME_ERROR, 0, "type 4, all octets = <<7>>: unknown_frame");
    }

    @Test
    void aHeartbeatOnAChannelIsAnUnexpectedFrame() {
        assertConnectionError(frame(8, 5, bytes()), ReplyCode.UNEXPECTED_FRAME, 5, "type 8, all octets = <<>>");
    }

    @Test
    void aHeartbeatWithAPayloadIsAFrameError() {
        assertConnectionError(frame(8, 0, bytes(1)), ReplyCode.FRAME_ERROR, 0, "type 8, all octets = <<1>>: unknown_frame");
    }

    @Test
    void aMethodFrameTooShortForItsIdsIsAFrameError() {
        assertConnectionError(frame(1, 1, bytes(0, 60, 0)), ReplyCode.FRAME_ERROR, 1, "type 1, all octets = <<0,60,0>>: unknown_frame");
    }

    @Test
    void aHeaderFrameTooShortIsAFrameError() {
        assertConnectionError(concat(publish(1, "rk"), frame(2, 1, bytes(0, 60, 0, 0))),
                ReplyCode.FRAME_ERROR, 1, "type 2, all octets = <<0,60,0,0>>: unknown_frame");
    }

    // --- frame order: 505 -------------------------------------------------------------------

    @Test
    void aHeaderWithoutItsMethodIsUnexpected() {
        assertConnectionError(header(1, 5), ReplyCode.UNEXPECTED_FRAME, 1,
                "expected method frame, got non method frame instead");
    }

    @Test
    void aBodyWithoutItsMethodIsUnexpected() {
        assertConnectionError(body(1, text("x")), ReplyCode.UNEXPECTED_FRAME, 1,
                "expected method frame, got non method frame instead");
    }

    @Test
    void aMethodWhereTheHeaderShouldBeIsUnexpected() {
        AmqpException e = assertConnectionError(concat(publish(1, "rk"), method(1, new BasicMethod.Ack(1, false))),
                ReplyCode.UNEXPECTED_FRAME, 1, "expected content header for class 60, got non content header frame instead");
        assertEquals(60, e.classId());
        assertEquals(40, e.methodId());
    }

    @Test
    void aBodyWhereTheHeaderShouldBeIsUnexpected() {
        assertConnectionError(concat(publish(1, "rk"), body(1, text("x"))), ReplyCode.UNEXPECTED_FRAME, 1,
                "expected content header for class 60, got non content header frame instead");
    }

    @Test
    void aMethodWhereTheBodyShouldBeIsUnexpected() {
        assertConnectionError(concat(publish(1, "rk"), header(1, 5), body(1, text("ab")), publish(1, "rk")),
                ReplyCode.UNEXPECTED_FRAME, 1, "expected content body, got non content body frame instead");
    }

    @Test
    void aHeaderOfAnotherClassIsUnexpected() {
        assertConnectionError(concat(publish(1, "rk"), header(1, 50, 0, bytes(0, 0))),
                ReplyCode.UNEXPECTED_FRAME, 1, "expected content header for class 60, got one for class 50 instead");
    }

    @Test
    void aHeaderWithAWeightIsUnexpected() {
        byte[] header = frame(2, 1, bytes(0, 60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertConnectionError(concat(publish(1, "rk"), header), ReplyCode.UNEXPECTED_FRAME, 1,
                "got non content header frame instead");
    }

    @Test
    void moreBodyThanDeclaredIsAFrameError() {
        assertConnectionError(concat(publish(1, "rk"), header(1, 3), body(1, text("abcd"))),
                ReplyCode.FRAME_ERROR, 1, "content body frame exceeds remaining content size");
    }

    @Test
    void aBodyFrameAfterACompleteCommandIsUnexpected() {
        assertConnectionError(concat(publish(1, "rk"), header(1, 2), body(1, text("ab")), body(1, text("c"))),
                ReplyCode.UNEXPECTED_FRAME, 1, "expected method frame", 1);
    }

    // --- methods: 503 and 501 ---------------------------------------------------------------

    @Test
    void anUnknownMethodIsCommandInvalid() {
        AmqpException e = assertConnectionError(method(1, 60, 99, bytes()), ReplyCode.COMMAND_INVALID, 1,
                "unknown method (60, 99)");
        assertEquals(60, e.classId());
        assertEquals(99, e.methodId());
    }

    @Test
    void anUnknownClassIsCommandInvalid() {
        assertConnectionError(method(0, 1000, 10, bytes()), ReplyCode.COMMAND_INVALID, 0, "unknown method (1000, 10)");
    }

    @Test
    void malformedArgumentsAreFrameErrorsLikeRabbitMqsCannotDecode() {
        // basic.publish whose routing key claims 9 bytes where 2 remain
        assertMalformed(method(1, 60, 40, bytes(0, 0, 0, 9, 'r', 'k')), "short string of 9 bytes runs past");
        // queue.declare whose arguments table claims more than the frame holds
        assertMalformed(method(1, 50, 10, bytes(0, 0, 1, 'q', 0, 0, 0, 1, 0)), "field table of 256 bytes runs past");
        // a table value with an unknown type tag
        assertMalformed(method(1, 50, 10, bytes(0, 0, 1, 'q', 0, 0, 0, 0, 3, 1, 'k', 'Z')), "unknown field type 'Z'");
        // basic.ack with a byte too many
        assertMalformed(method(1, 60, 80, bytes(0, 0, 0, 0, 0, 0, 0, 1, 0, 7)), "1 bytes after the arguments");
        // basic.ack cut short
        assertMalformed(method(1, 60, 80, bytes(0, 0, 0, 1)), "arguments truncated");
        // a routing key that is not UTF-8
        assertMalformed(method(1, 60, 40, bytes(0, 0, 0, 2, 0xC3, 0x28, 0)), "Malformed UTF-8 in shortstr");
    }

    @Test
    void propertiesThatDoNotMatchTheirFlagsAreAFrameError() {
        // content-type announced, 5 bytes long, 1 present
        assertConnectionError(concat(publish(1, "rk"), header(1, 60, 0, bytes(0x80, 0, 5, 'a'))),
                ReplyCode.FRAME_ERROR, 1, "content header properties truncated");
        // no property announced, one byte present
        new AmqpDecoderTest().assertConnectionError(concat(publish(1, "rk"), header(1, 60, 0, bytes(0, 0, 7))),
                ReplyCode.FRAME_ERROR, 1, "do not match their flags");
    }

    // --- the max body size: a channel error, then decoding goes on --------------------------

    @Test
    void aBodyOverTheMaxIsAChannelErrorAndDecodingGoesOn() {
        List<Object> out = feed(channel, concat(publish(3, "big"), header(3, 200_000_000)), false);
        assertEquals(1, out.size());
        AmqpException e = (AmqpException) out.get(0);
        assertEquals(ReplyCode.PRECONDITION_FAILED, e.replyCode());
        assertFalse(e.replyCode().hardError());
        assertEquals(3, e.channel());
        assertEquals(60, e.classId());
        assertEquals(40, e.methodId());
        assertEquals("message size 200000000 is larger than configured max size 134217728", e.replyText());
        assertEquals("PRECONDITION_FAILED - message size 200000000 is larger than configured max size 134217728",
                e.getMessage());
    }

    @ParameterizedTest(name = "one byte at a time: {0}")
    @ValueSource(booleans = {false, true})
    void theRefusedBodyIsSkippedAndOtherFramesStillDecode(boolean byteAtATime) {
        channel.pipeline().get(AmqpDecoder.class).setMaxBodySize(1000);
        List<Object> out = feed(channel, concat(
                publish(1, "big"), header(1, 2500),
                body(1, new byte[1000]),
                publish(2, "other"), header(2, 2), body(2, text("ok")),
                body(1, new byte[1000]), body(1, new byte[500]),
                publish(1, "small"), header(1, 3), body(1, text("fit"))), byteAtATime);
        try {
            assertEquals(3, out.size(), out.toString());
            assertEquals(ReplyCode.PRECONDITION_FAILED, ((AmqpException) out.get(0)).replyCode());
            AmqpCommand other = (AmqpCommand) out.get(1);
            assertEquals(2, other.channel());
            assertEquals("ok", other.body().toString(StandardCharsets.UTF_8));
            AmqpCommand small = (AmqpCommand) out.get(2);
            assertEquals(new BasicMethod.Publish("", "small", false, false), small.method());
            assertEquals("fit", small.body().toString(StandardCharsets.UTF_8));
        } finally {
            TestFrames.release(out);
        }
        assertFalse(channel.finish());
    }

    @Test
    void aBodySizeOf2To64IsLargerThanAnyMax() {
        List<Object> out = feed(channel, concat(publish(1, "rk"), header(1, -1L)), false);
        AmqpException e = (AmqpException) out.get(0);
        assertEquals(ReplyCode.PRECONDITION_FAILED, e.replyCode());
        assertTrue(e.replyText().startsWith("message size 18446744073709551615 "), e.replyText());
        assertFalse(channel.finish());
    }

    // --- order of output and clean-up ---------------------------------------------------------

    @Test
    void anErrorComesAfterTheCommandsBeforeItAndNothingAfterIt() {
        List<Object> out = feed(channel, concat(method(1, new BasicMethod.Ack(1, false)), frame(9, 0, bytes()),
                method(1, new BasicMethod.Ack(2, false))), false);
        assertEquals(2, out.size());
        assertEquals(new AmqpCommand(1, new BasicMethod.Ack(1, false)), out.get(0));
        assertEquals(ReplyCode.FRAME_ERROR, ((AmqpException) out.get(1)).replyCode());
        assertTrue(feed(channel, method(1, new BasicMethod.Ack(3, false)), false).isEmpty(),
                "input after a connection error is ignored");
        assertFalse(channel.finish());
    }

    @Test
    void aPartialCommandIsReleasedWhenTheConnectionCloses() {
        ByteBuf input = Unpooled.wrappedBuffer(concat(publish(1, "rk"), header(1, 10), body(1, text("part"))));
        input.retain();
        channel.writeInbound(input);
        assertNull(channel.readInbound());
        assertTrue(input.refCnt() > 1, "the decoder holds slices of the partial command");
        assertFalse(channel.finish());
        assertEquals(1, input.refCnt(), "closing released them");
        input.release();
    }

    @Test
    void aPartialCommandIsReleasedOnAConnectionError() {
        ByteBuf input = Unpooled.wrappedBuffer(concat(publish(1, "rk"), header(1, 10), body(1, text("part")),
                frame(9, 0, bytes())));
        input.retain();
        channel.writeInbound(input);
        assertEquals(ReplyCode.FRAME_ERROR, ((AmqpException) channel.readInbound()).replyCode());
        assertEquals(1, input.refCnt());
        input.release();
        assertFalse(channel.finish());
    }

    @Test
    void aPartialCommandIsReleasedWhenTheDecoderIsRemoved() {
        ByteBuf input = Unpooled.wrappedBuffer(concat(publish(1, "rk"), header(1, 10), body(1, text("part"))));
        input.retain();
        channel.writeInbound(input);
        channel.pipeline().remove(AmqpDecoder.class);
        assertEquals(1, input.refCnt());
        input.release();
        assertFalse(channel.finish());
    }

    private AmqpException assertConnectionError(byte[] input, ReplyCode code, int errorChannel, String text) {
        return assertConnectionError(input, code, errorChannel, text, 0);
    }

    /** Feeds {@code input}, expects {@code before} commands then the error, and then silence. */
    private AmqpException assertConnectionError(byte[] input, ReplyCode code, int errorChannel, String text,
                                                int before) {
        List<Object> out = feed(channel, input, false);
        assertEquals(before + 1, out.size(), out.toString());
        TestFrames.release(out.subList(0, before));
        AmqpException e = assertInstanceOf(AmqpException.class, out.get(before));
        assertEquals(code, e.replyCode(), e.getMessage());
        assertTrue(e.replyCode().hardError());
        assertEquals(errorChannel, e.channel());
        assertTrue(e.replyText().contains(text), e.replyText());
        assertTrue(feed(channel, heartbeat(), false).isEmpty(), "input after a connection error is ignored");
        assertFalse(channel.finish());
        return e;
    }

    private static void assertMalformed(byte[] input, String text) {
        AmqpDecoderTest test = new AmqpDecoderTest();
        test.assertConnectionError(input, ReplyCode.FRAME_ERROR, 1, text);
    }
}
