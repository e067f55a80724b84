package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import io.warren.compat.CollectingConsumer.Received;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** frame_max and bodies larger than a frame: split on the way in, split on the way out, byte-exact. */
class LargeMessageTest extends CompatTest {

    private static final int TEN_MIB = 10 * 1024 * 1024;

    private static byte[] randomBody(int size, long seed) {
        byte[] body = new byte[size];
        new Random(seed).nextBytes(body);
        return body;
    }

    @Test
    void tenMebibyteMessageRoundTripsThroughAConsumer() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        byte[] body = randomBody(TEN_MIB, 1);
        ch.confirmSelect();
        ch.basicPublish("", q, null, body);
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, true, consumer);
        Received r = consumer.next();
        assertArrayEquals(body, r.body());
    }

    @Test
    void tenMebibyteMessageWithTheSmallestFrameMax() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(4096);
        Connection c = track(f.newConnection());
        assertEquals(4096, c.getFrameMax());
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        byte[] body = randomBody(TEN_MIB, 2);
        ch.confirmSelect();
        ch.basicPublish("", q, null, body);
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        GetResponse r = get(ch, q, true);
        assertArrayEquals(body, r.getBody());
        assertEquals(TEN_MIB, r.getProps().getBodySize());
    }

    @Test
    void emptyBodyRoundTrips() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ch.confirmSelect();
        ch.basicPublish("", q, null, new byte[0]);
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertEquals(0, get(ch, q, true).getBody().length);
    }

    /** Read with a raw socket: every body frame the broker sends fits the negotiated frame_max. */
    @Test
    void brokerSplitsBodiesIntoFramesOfAtMostFrameMax() throws Exception {
        int size = 100_000;
        byte[] body = randomBody(size, 3);
        Channel ch = channel();
        String q = queueName("frames");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q);
        ch.confirmSelect();
        ch.basicPublish("", q, null, body);
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        try (RawConnection raw = RawConnection.open(0, 4096, 0)) {
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Basic.Get(0, q, true));
            raw.expect(AMQP.Basic.GetOk.class);
            Frame header = raw.readFrame();
            assertEquals(AMQP.FRAME_HEADER, header.getType());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int frames = 0;
            while (got.size() < size) {
                Frame f = raw.readFrame();
                assertEquals(AMQP.FRAME_BODY, f.getType());
                assertEquals(1, f.getChannel());
                assertTrue(f.size() <= 4096, "frame of " + f.size() + " octets over frame_max 4096");
                got.write(f.getPayload());
                frames++;
            }
            assertArrayEquals(body, got.toByteArray());
            assertEquals((size + 4087) / 4088, frames);
        }
    }

    /** Sent by a raw peer in frames of a few octets each: the broker reassembles them. */
    @Test
    void bodyArrivingInManySmallFramesIsReassembled() throws Exception {
        Channel ch = channel();
        String q = queueName("small-frames");
        ch.queueDeclare(q, false, false, false, null);
        byte[] body = randomBody(10_000, 4);
        try (RawConnection raw = RawConnection.open(0, 4096, 0)) {
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Confirm.Select(false));
            raw.expect(AMQP.Confirm.SelectOk.class);
            raw.send(1, new AMQImpl.Basic.Publish(0, "", q, false, false));
            raw.sendFrame(new AMQP.BasicProperties().toFrame(1, body.length));
            for (int off = 0; off < body.length; off += 7) {
                raw.sendFrame(AMQP.FRAME_BODY, 1, java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 7)));
            }
            raw.expect(AMQP.Basic.Ack.class);
        }
        assertArrayEquals(body, get(ch, q, true).getBody());
    }
}
