package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Field tables a hostile client can send: nested thousands deep, claiming gigabytes, or filling a
 * whole frame with fields. None may cost the broker its stack or its heap: a table can be no
 * larger than the frame that carries it (frame_max, checked before a byte of it is allocated),
 * and nesting is capped (FieldTables.MAX_DEPTH), so the first two end in a clean connection.close
 * 501 FRAME_ERROR and the third is simply declared. The broker serves others throughout.
 */
class FieldTableLimitsTest extends CompatTest {

    private static final int DEPTH = 10_000;

    /** A table nesting {@code depth} tables: {"a": {"a": ... {}}}; 7 bytes a level. */
    private static byte[] deepTable(int depth) {
        byte[] inner = new byte[4]; // the innermost: empty
        for (int i = 0; i < depth; i++) {
            byte[] content = new byte[3 + inner.length];
            content[0] = 1;
            content[1] = 'a';
            content[2] = 'F';
            System.arraycopy(inner, 0, content, 3, inner.length);
            inner = withLength(content);
        }
        return inner;
    }

    /** A table holding {"a": [[[...]]]}, arrays {@code depth} deep; 5 bytes a level. */
    private static byte[] deepArrayTable(int depth) {
        byte[] inner = new byte[4];
        for (int i = 0; i < depth; i++) {
            byte[] content = new byte[1 + inner.length];
            content[0] = 'A';
            System.arraycopy(inner, 0, content, 1, inner.length);
            inner = withLength(content);
        }
        byte[] content = new byte[3 + inner.length];
        content[0] = 1;
        content[1] = 'a';
        content[2] = 'A';
        System.arraycopy(inner, 0, content, 3, inner.length);
        return withLength(content);
    }

    private static byte[] withLength(byte[] content) {
        byte[] out = new byte[4 + content.length];
        out[0] = (byte) (content.length >>> 24);
        out[1] = (byte) (content.length >>> 16);
        out[2] = (byte) (content.length >>> 8);
        out[3] = (byte) content.length;
        System.arraycopy(content, 0, out, 4, content.length);
        return out;
    }

    /** queue.declare's payload (class 50, method 10) with {@code arguments} as the raw table. */
    private static byte[] queueDeclare(String queue, byte[] arguments) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(50);
        out.writeShort(10);
        out.writeShort(0);
        byte[] name = queue.getBytes(StandardCharsets.UTF_8);
        out.writeByte(name.length);
        out.write(name);
        out.writeByte(0b1000); // auto-delete
        out.write(arguments);
        out.flush();
        return bytes.toByteArray();
    }

    private AMQP.Connection.Close declareWith(byte[] arguments) throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.sendFrame(AMQP.FRAME_METHOD, 1, queueDeclare(name("tables"), arguments));
            return raw.awaitConnectionClose();
        }
    }

    private void brokerStillServes() throws Exception {
        try (Connection c = BrokerUnderTest.factory().newConnection()) {
            String q = c.createChannel().queueDeclare().getQueue();
            assertTrue(q.startsWith("amq.gen-"), q);
        }
    }

    @Test
    @WarrenOnly // RabbitMQ (Erlang) decodes any depth; Warren's decoder recurses, so caps it
    void tablesNestedThousandsDeepCloseTheConnection() throws Exception {
        AMQP.Connection.Close close = declareWith(deepTable(DEPTH));
        assertEquals(AMQP.FRAME_ERROR, close.getReplyCode());
        assertTrue(close.getReplyText().contains("nested deeper than 64"), close.getReplyText());
        brokerStillServes();
    }

    @Test
    @WarrenOnly
    void arraysNestedThousandsDeepCloseTheConnection() throws Exception {
        AMQP.Connection.Close close = declareWith(deepArrayTable(DEPTH));
        assertEquals(AMQP.FRAME_ERROR, close.getReplyCode());
        assertTrue(close.getReplyText().contains("nested deeper than 64"), close.getReplyText());
        brokerStillServes();
    }

    @Test
    void aTableClaimingGigabytesIsAFrameError() throws Exception {
        byte[] huge = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 'a', 'V'};
        AMQP.Connection.Close close = declareWith(huge);
        assertEquals(AMQP.FRAME_ERROR, close.getReplyCode());
        brokerStillServes();
    }

    /** 26,000 distinct fields, the frame's worth: a big table, but a legal one. */
    @Test
    void aTableFillingTheFrameIsAccepted() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int i = 0; i < 26_000; i++) {
            content.write(2);
            content.write(i >>> 8);
            content.write(i);
            content.write('t');
            content.write(1);
        }
        String queue = name("big-table");
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.sendFrame(AMQP.FRAME_METHOD, 1, queueDeclare(queue, withLength(content.toByteArray())));
            assertEquals(queue, raw.expect(AMQP.Queue.DeclareOk.class).getQueue());
        }
        brokerStillServes();
    }
}
