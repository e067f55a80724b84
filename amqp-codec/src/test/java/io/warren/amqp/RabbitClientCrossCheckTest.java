package io.warren.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;
import com.rabbitmq.client.impl.MethodArgumentReader;
import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Our bytes against the RabbitMQ Java client's (com.rabbitmq:amqp-client), both ways: for every
 * method the client can write, its frames equal our encoder's and our decoder reads them back
 * into equal values; the client reads ours back into methods that it writes as the same bytes.
 * Same for a content header with all 14 properties and for field tables.
 *
 * <p>Our records have the client's names ({@code AMQImpl.Basic.Publish} for
 * {@link BasicMethod.Publish}) and its constructor's arguments in the same order, so one bridge
 * builds the client's method from ours. The client copies every table argument (and the headers)
 * into a {@link HashMap} before writing it, so for byte equality our top-level tables are put in
 * that order first ({@link #inClientOrder}); the values stay equal.
 */
class RabbitClientCrossCheckTest {
    private static final int CHANNEL = 3;

    static List<AmqpMethod> samples() {
        return MethodSamples.all();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void ourFramesEqualTheClientsAndWeDecodeTheClientsFrames(AmqpMethod sample) throws Exception {
        AmqpMethod m = inClientOrder(sample);
        byte[] body = "cross-check body".getBytes();
        byte[] clientBytes = clientCommand(toClient(m), m.hasContent() ? body : null, 131072);
        byte[] ourBytes = encode(command(m, body), 131072);
        assertArrayEquals(clientBytes, ourBytes, m.name());

        AmqpCommand decoded = decodeOne(clientBytes);
        try {
            assertEquals(sample, decoded.method());
            if (m.hasContent()) {
                assertEquals(MethodSamples.fullProperties(), decoded.header().properties());
                assertArrayEquals(body, ByteBufUtil.getBytes(decoded.body()));
            }
        } finally {
            decoded.release();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void theClientReadsOurMethodsBack(AmqpMethod m) throws IOException {
        byte[] ours = TestFrames.method(CHANNEL, m);
        byte[] payload = Arrays.copyOfRange(ours, 7, ours.length - 1);
        Method read = AMQImpl.readMethodFrom(new DataInputStream(new ByteArrayInputStream(payload)));
        assertEquals(m.name(), read.protocolMethodName());
        // The client keeps tables in HashMaps, so compare what it writes back as values.
        byte[] writtenBack = clientFrame(read.toFrame(CHANNEL));
        ByteBuf arguments = Unpooled.wrappedBuffer(writtenBack, 7, writtenBack.length - 8);
        assertEquals(m, AmqpMethodTable.read(arguments));
    }

    @Test
    void bodiesAreSplitLikeTheClientSplitsThem() throws Exception {
        byte[] body = new byte[10_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        AmqpMethod publish = new BasicMethod.Publish("amq.direct", "rk", false, false);
        byte[] clientBytes = clientCommand(toClient(publish), body, 4096);
        assertArrayEquals(clientBytes, encode(command(publish, body), 4096));
        AmqpCommand decoded = decodeOne(clientBytes);
        try {
            assertArrayEquals(body, ByteBufUtil.getBytes(decoded.body()));
        } finally {
            decoded.release();
        }
    }

    @Test
    void theClientReadsOurContentHeader() throws IOException {
        ContentHeader header = ContentHeader.of(60, MethodSamples.fullProperties(), 99);
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            payload.writeBytes(TestFrames.bytes(0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99));
            payload.writeBytes(ByteBufUtil.getBytes(header.rawProperties()));
            AMQP.BasicProperties read = (AMQP.BasicProperties) AMQImpl.readContentHeaderFrom(
                    new DataInputStream(new ByteArrayInputStream(payload.toByteArray())));
            assertEquals(99, read.getBodySize());
            AMQP.BasicProperties expected = clientProperties();
            assertEquals(comparable(expected.getHeaders()), comparable(read.getHeaders()));
            // Everything else compares as is once the headers are set aside.
            assertEquals(expected.builder().headers(null).build(), read.builder().headers(null).build());
        } finally {
            header.release();
        }
    }

    @Test
    void fieldTablesMatchTheClientsValueWriterAndValueReader() throws IOException {
        Map<String, Object> table = new LinkedHashMap<>(MethodSamples.table());
        table.put("arrayOfTables", List.of(MethodSamples.table(), List.of()));
        ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
        new ValueWriter(new DataOutputStream(clientBytes)).writeTable(toClientTable(table));
        byte[] ours = FieldTablesTest.encode(table);
        assertArrayEquals(clientBytes.toByteArray(), ours);
        assertEquals(table, FieldTablesTest.decode(clientBytes.toByteArray()));

        Map<String, Object> clientRead =
                new ValueReader(new DataInputStream(new ByteArrayInputStream(ours))).readTable();
        assertEquals(comparable(toClientTable(table)), comparable(clientRead));
    }

    /** The same method, its top-level tables in the order the client will write them. */
    @SuppressWarnings("unchecked")
    static AmqpMethod inClientOrder(AmqpMethod m) throws ReflectiveOperationException {
        RecordComponent[] components = m.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = components[i].getAccessor().invoke(m);
            types[i] = components[i].getType();
            if (args[i] instanceof Map<?, ?> table) {
                args[i] = inHashMapOrder((Map<String, Object>) table);
            }
        }
        return (AmqpMethod) m.getClass().getDeclaredConstructor(types).newInstance(args);
    }

    static Map<String, Object> inHashMapOrder(Map<String, Object> table) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : new HashMap<>(table).keySet()) {
            ordered.put(key, table.get(key));
        }
        return ordered;
    }

    static BasicProperties propertiesInClientOrder() {
        BasicProperties p = MethodSamples.fullProperties();
        return new BasicProperties(p.contentType(), p.contentEncoding(), inHashMapOrder(p.headers()),
                p.deliveryMode(), p.priority(), p.correlationId(), p.replyTo(), p.expiration(),
                p.messageId(), p.timestamp(), p.type(), p.userId(), p.appId(), p.clusterId());
    }

    // --- the client's side -------------------------------------------------------------------

    /** The client's method with the same arguments, built through its value constructor. */
    static Method toClient(AmqpMethod m) throws ReflectiveOperationException {
        String family = m.getClass().getEnclosingClass().getSimpleName().replace("Method", "");
        Class<?> type = Class.forName(AMQImpl.class.getName() + "$" + family + "$" + m.getClass().getSimpleName());
        RecordComponent[] components = m.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = toClientValue(components[i].getAccessor().invoke(m));
        }
        for (Constructor<?> c : type.getConstructors()) {
            if (c.getParameterCount() == args.length
                    && (args.length == 0 || c.getParameterTypes()[0] != MethodArgumentReader.class)) {
                return (Method) c.newInstance(args);
            }
        }
        throw new AssertionError("no constructor for " + type);
    }

    @SuppressWarnings("unchecked")
    static Object toClientValue(Object value) {
        if (value instanceof LongString s) {
            return LongStringHelper.asLongString(s.bytes());
        } else if (value instanceof Instant t) {
            return new Date(t.getEpochSecond() * 1000);
        } else if (value instanceof Binary b) {
            return b.bytes();
        } else if (value instanceof Map<?, ?> m) {
            return toClientTable((Map<String, Object>) m);
        } else if (value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>();
            list.forEach(v -> converted.add(toClientValue(v)));
            return converted;
        }
        return value;
    }

    static Map<String, Object> toClientTable(Map<String, Object> table) {
        Map<String, Object> converted = new LinkedHashMap<>();
        table.forEach((k, v) -> converted.put(k, toClientValue(v)));
        return converted;
    }

    /** The client reads tables into HashMaps holding byte[]: make them comparable. */
    private static Object comparable(Object value) {
        if (value instanceof byte[] b) {
            return Binary.of(b);
        } else if (value instanceof Map<?, ?> m) {
            Map<Object, Object> converted = new HashMap<>();
            m.forEach((k, v) -> converted.put(k, comparable(v)));
            return converted;
        } else if (value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>();
            list.forEach(v -> converted.add(comparable(v)));
            return converted;
        } else if (value instanceof com.rabbitmq.client.LongString s) {
            return LongString.of(s.getBytes());
        }
        return value;
    }

    static AMQP.BasicProperties clientProperties() {
        BasicProperties p = MethodSamples.fullProperties();
        return new AMQP.BasicProperties.Builder()
                .contentType(p.contentType()).contentEncoding(p.contentEncoding())
                .headers(toClientTable(p.headers())).deliveryMode(p.deliveryMode())
                .priority(p.priority()).correlationId(p.correlationId()).replyTo(p.replyTo())
                .expiration(p.expiration()).messageId(p.messageId())
                .timestamp(new Date(p.timestamp().getEpochSecond() * 1000)).type(p.type())
                .userId(p.userId()).appId(p.appId()).clusterId(p.clusterId())
                .build();
    }

    /**
     * The frames the client sends for a command, built with its own Frame machinery the way
     * AMQCommand.transmit does: method, header, body fragments of at most frameMax - 8 bytes.
     */
    static byte[] clientCommand(Method method, byte[] body, int frameMax) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(clientFrame(method.toFrame(CHANNEL)));
        if (body != null) {
            out.writeBytes(clientFrame(clientProperties().toFrame(CHANNEL, body.length)));
            int max = frameMax - 8;
            for (int offset = 0; offset < body.length; offset += max) {
                int length = Math.min(max, body.length - offset);
                out.writeBytes(clientFrame(Frame.fromBodyFragment(CHANNEL, ByteBuffer.wrap(body), offset, length)));
            }
        }
        return out.toByteArray();
    }

    static byte[] clientFrame(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        frame.writeTo(data);
        data.flush();
        return out.toByteArray();
    }

    // --- ours ---------------------------------------------------------------------------------

    private static AmqpCommand command(AmqpMethod m, byte[] body) {
        return m.hasContent()
                ? new AmqpCommand(CHANNEL, m, ContentHeader.of(60, propertiesInClientOrder(), body.length),
                        Unpooled.wrappedBuffer(body))
                : new AmqpCommand(CHANNEL, m);
    }

    private static byte[] encode(AmqpCommand command, int frameMax) {
        AmqpEncoder encoder = new AmqpEncoder();
        encoder.setMaxFrameSize(frameMax);
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.writeOutbound(command);
        byte[] bytes = TestFrames.outbound(channel);
        assertFalse(channel.finish());
        return bytes;
    }

    private static AmqpCommand decodeOne(byte[] bytes) {
        EmbeddedChannel channel = TestFrames.decoderChannel();
        List<Object> decoded = TestFrames.feed(channel, bytes, false);
        assertEquals(1, decoded.size(), decoded.toString());
        assertFalse(channel.finish());
        AmqpCommand command = (AmqpCommand) decoded.get(0);
        assertNotNull(command);
        return command;
    }
}
