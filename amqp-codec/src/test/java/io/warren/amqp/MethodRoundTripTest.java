package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodRoundTripTest {

    static List<AmqpMethod> samples() {
        return MethodSamples.all();
    }

    @Test
    void theSamplesCoverEveryMethodRecordOnce() {
        Set<Class<?>> records = new HashSet<>();
        for (Class<?> family : AmqpMethod.class.getPermittedSubclasses()) {
            records.addAll(List.of(family.getPermittedSubclasses()));
        }
        Set<Class<?>> sampled = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (AmqpMethod m : samples()) {
            assertTrue(sampled.add(m.getClass()), "sampled twice: " + m.getClass());
            assertTrue(ids.add(m.classId() << 16 | m.methodId()), "id reused: " + m.name());
            assertTrue(names.add(m.name()), "name reused: " + m.name());
        }
        assertEquals(records, sampled);
        // 0-9-1 plus RabbitMQ's extensions, as in RabbitMQ's amqp-rabbitmq-0.9.1.json.
        assertEquals(66, records.size());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void namesAndContentFollowTheSpec(AmqpMethod m) {
        String family = m.getClass().getEnclosingClass().getSimpleName();
        String className = family.substring(0, family.length() - "Method".length()).toLowerCase();
        assertTrue(m.name().startsWith(className + "."), m.name());
        Set<String> withContent = Set.of("basic.publish", "basic.return", "basic.deliver", "basic.get-ok");
        assertEquals(withContent.contains(m.name()), m.hasContent(), m.name());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void argumentsDecodeToAnEqualMethod(AmqpMethod m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeShort(m.classId()).writeShort(m.methodId());
            m.writeArguments(buf);
            byte[] encoded = ByteBufUtil.getBytes(buf);
            AmqpMethod decoded = AmqpMethodTable.read(buf);
            assertEquals(m, decoded);
            assertFalse(buf.isReadable());
            // And encoding the decoded value gives the same bytes.
            ByteBuf again = Unpooled.buffer();
            again.writeShort(decoded.classId()).writeShort(decoded.methodId());
            decoded.writeArguments(again);
            assertArrayEquals(encoded, ByteBufUtil.getBytes(again));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void commandsSurviveTheEncoderAndTheDecoder(AmqpMethod m) {
        EmbeddedChannel out = new EmbeddedChannel(new AmqpEncoder());
        EmbeddedChannel in = TestFrames.decoderChannel();
        byte[] body = "a body".getBytes(StandardCharsets.UTF_8);
        AmqpCommand sent = m.hasContent()
                ? new AmqpCommand(7, m, ContentHeader.of(60, MethodSamples.fullProperties(), body.length),
                        Unpooled.wrappedBuffer(body))
                : new AmqpCommand(7, m);
        out.writeOutbound(sent);
        List<Object> received = TestFrames.feed(in, TestFrames.outbound(out), false);
        assertEquals(1, received.size());
        AmqpCommand command = (AmqpCommand) received.get(0);
        try {
            assertEquals(7, command.channel());
            assertEquals(m, command.method());
            if (m.hasContent()) {
                assertEquals(MethodSamples.fullProperties(), command.header().properties());
                assertEquals(body.length, command.header().bodySize());
                assertArrayEquals(body, ByteBufUtil.getBytes(command.body()));
            }
        } finally {
            command.release();
        }
        assertFalse(out.finish());
        assertFalse(in.finish());
    }

    @Test
    void consecutiveBitsShareOneOctetInSpecOrder() {
        assertArrayEquals(TestFrames.bytes(0, 0, 1, 'q', 0b10101, 0, 0, 0, 0),
                arguments(new QueueMethod.Declare(0, "q", true, false, true, false, true, Map.of())));
        assertArrayEquals(TestFrames.bytes(0, 0, 0, 0, 0, 0, 0, 5, 0b11),
                arguments(new BasicMethod.Nack(5, true, true)));
        assertArrayEquals(TestFrames.bytes(1, 'r', 0b10110),
                arguments(new AccessMethod.Request("r", false, true, true, false, true)));
        // A bit after a non-bit field starts a new octet; bits before it are not merged.
        assertArrayEquals(TestFrames.bytes(1, 'c', 0b1),
                arguments(new BasicMethod.Cancel("c", true)));
    }

    @Test
    void reservedFieldsDefaultWhenOmitted() {
        assertEquals(new BasicMethod.Publish(0, "ex", "rk", true, false),
                new BasicMethod.Publish("ex", "rk", true, false));
        assertEquals(new ConnectionMethod.Open("/", "", false), new ConnectionMethod.Open("/"));
        assertEquals(new ChannelMethod.OpenOk(LongString.EMPTY), new ChannelMethod.OpenOk());
    }

    @Test
    void nullStringsAndTablesAreTakenAsEmpty() {
        QueueMethod.Declare declare = new QueueMethod.Declare(0, null, false, false, false, false, false, null);
        assertEquals("", declare.queue());
        assertEquals(Map.of(), declare.arguments());
        assertEquals(LongString.EMPTY, new ConnectionMethod.Secure(null).challenge());
    }

    @Test
    void aShortStringOver255BytesCannotBeEncoded() {
        ByteBuf buf = Unpooled.buffer();
        try {
            String tooLong = "é".repeat(128); // 256 bytes in UTF-8
            assertThrows(IllegalArgumentException.class,
                    () -> new BasicMethod.Publish("", tooLong, false, false).writeArguments(buf));
        } finally {
            buf.release();
        }
    }

    private static byte[] arguments(AmqpMethod m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            m.writeArguments(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
