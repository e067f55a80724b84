package io.warren.broker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.amqp.BasicMethod;
import io.warren.amqp.ChannelMethod;
import io.warren.amqp.QueueMethod;
import io.warren.broker.Broker;
import io.warren.broker.net.EmbeddedConnection;
import io.warren.broker.net.EmbeddedConnection.Content;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AmqpChannel behind the broker's own pipeline on an EmbeddedChannel, spoken to in real frames:
 * open and close, publish and get, consume and ack, channel errors.
 */
class AmqpChannelTest {

    private static Broker broker;

    @BeforeAll
    static void startBroker() throws InterruptedException {
        broker = Broker.start(EmbeddedConnection.brokerConfig());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static void declare(EmbeddedConnection c, int channel, String queue) {
        c.send(channel, new QueueMethod.Declare(queue, false, false, false, false, false, Map.of()));
        assertEquals(queue, c.expect(channel, QueueMethod.DeclareOk.class).queue());
    }

    private static QueueMethod.DeclareOk declarePassive(EmbeddedConnection c, int channel, String queue) {
        c.send(channel, new QueueMethod.Declare(queue, true, false, false, false, false, Map.of()));
        return c.expect(channel, QueueMethod.DeclareOk.class);
    }

    private static void publish(EmbeddedConnection c, int channel, String queue, String body) {
        c.send(channel, new BasicMethod.Publish("", queue, false, false), body);
    }

    private static String consume(EmbeddedConnection c, int channel, String queue, boolean noAck) {
        c.send(channel, new BasicMethod.Consume(queue, "", false, noAck, false, false, Map.of()));
        return c.expect(channel, BasicMethod.ConsumeOk.class).consumerTag();
    }

    private static void closeChannel(EmbeddedConnection c, int channel) {
        c.send(channel, new ChannelMethod.Close(200, "", 0, 0));
        c.expect(channel, ChannelMethod.CloseOk.class);
    }

    @Test
    void channelsOpenAndCloseAndTheirNumbersCanBeUsedAgain() {
        try (EmbeddedConnection c = EmbeddedConnection.open(broker)) {
            c.openChannel(1);
            c.openChannel(2);
            closeChannel(c, 1);
            c.openChannel(1);
            closeChannel(c, 2);
            closeChannel(c, 1);
            assertTrue(c.isOpen());
        }
    }

    @Test
    void aSecondOpenOfTheSameChannelIsAConnectionError() {
        try (EmbeddedConnection c = EmbeddedConnection.open(broker)) {
            c.openChannel(1);
            c.send(1, new ChannelMethod.Open(""));
            var close = c.expect(0, io.warren.amqp.ConnectionMethod.Close.class);
            assertEquals(504, close.replyCode());
            assertEquals("CHANNEL_ERROR - second 'channel.open' seen", close.replyText());
        }
    }

    @Test
    void aMessagePublishedToTheDefaultExchangeComesBackFromBasicGet() {
        String queue = "channel-publish-get";
        try (EmbeddedConnection c = EmbeddedConnection.open(broker)) {
            c.openChannel(1);
            declare(c, 1, queue);
            publish(c, 1, queue, "first");
            publish(c, 1, queue, "second");
            c.send(1, new BasicMethod.Get(queue, true));
            Content<BasicMethod.GetOk> got = c.expectContent(1, BasicMethod.GetOk.class);
            assertEquals("first", got.body());
            assertEquals(1, got.method().messageCount(), "messages left after this one");
            assertEquals(queue, got.method().routingKey());
            assertEquals("", got.method().exchange());
            assertFalse(got.method().redelivered());
            c.send(1, new BasicMethod.Get(queue, true));
            assertEquals("second", c.expectContent(1, BasicMethod.GetOk.class).body());
            c.send(1, new BasicMethod.Get(queue, true));
            c.expect(1, BasicMethod.GetEmpty.class);
        }
    }

    @Test
    void aConsumerGetsDeliveriesAndAnAckedMessageIsGoneForGood() {
        String queue = "channel-consume-ack";
        try (EmbeddedConnection c = EmbeddedConnection.open(broker)) {
            c.openChannel(1);
            declare(c, 1, queue);
            String tag = consume(c, 1, queue, false);
            publish(c, 1, queue, "acked");
            Content<BasicMethod.Deliver> d = c.expectContent(1, BasicMethod.Deliver.class);
            assertEquals("acked", d.body());
            assertEquals(tag, d.method().consumerTag());
            assertEquals(1, d.method().deliveryTag());
            c.send(1, new BasicMethod.Ack(d.method().deliveryTag(), false));
            closeChannel(c, 1);

            c.openChannel(2);
            QueueMethod.DeclareOk after = declarePassive(c, 2, queue);
            assertEquals(0, after.messageCount(), "the ack settled it: closing the channel gives nothing back");
            assertEquals(0, after.consumerCount());
        }
    }

    @Test
    void anUnackedMessageComesBackRedeliveredWhenItsChannelCloses() {
        String queue = "channel-close-requeues";
        try (EmbeddedConnection c = EmbeddedConnection.open(broker)) {
            c.openChannel(1);
            declare(c, 1, queue);
            consume(c, 1, queue, false);
            publish(c, 1, queue, "unacked");
            assertFalse(c.expectContent(1, BasicMethod.Deliver.class).method().redelivered());
            closeChannel(c, 1);

            c.openChannel(2);
            assertEquals(1, declarePassive(c, 2, queue).messageCount());
            consume(c, 2, queue, false);
            Content<BasicMethod.Deliver> again = c.expectContent(2, BasicMethod.Deliver.class);
            assertEquals("unacked", again.body());
            assertTrue(again.method().redelivered());
        }
    }

    @Test
    void aChannelErrorClosesOnlyThatChannel() {
        try (EmbeddedConnection c = EmbeddedConnection.open(broker)) {
            c.openChannel(1);
            c.openChannel(2);
            c.send(1, new BasicMethod.Get("no-such-queue", true));
            ChannelMethod.Close close = c.expect(1, ChannelMethod.Close.class);
            assertEquals(404, close.replyCode());
            assertEquals("NOT_FOUND - no queue 'no-such-queue' in vhost '/'", close.replyText());
            assertEquals(60, close.failingClassId());
            assertEquals(70, close.failingMethodId());

            // Until its close-ok, the closing channel drops what it gets; the other one works.
            c.send(1, new QueueMethod.Declare("after-error", false, false, false, false, false, Map.of()));
            declare(c, 2, "channel-error-other");
            c.send(1, new ChannelMethod.CloseOk());
            c.openChannel(1);
            c.expectNothing();
            c.send(1, new QueueMethod.Declare("after-error", true, false, false, false, false, Map.of()));
            ChannelMethod.Close notDeclared = c.expect(1, ChannelMethod.Close.class);
            assertEquals(404, notDeclared.replyCode(), "the declare sent while closing was dropped");
            assertTrue(c.isOpen());
        }
    }

    @Test
    void cancelStopsDeliveriesAndKeepsTheUnackedOnTheChannel() {
        String queue = "channel-cancel";
        try (EmbeddedConnection c = EmbeddedConnection.open(broker)) {
            c.openChannel(1);
            declare(c, 1, queue);
            String tag = consume(c, 1, queue, false);
            publish(c, 1, queue, "before cancel");
            long deliveryTag = c.expectContent(1, BasicMethod.Deliver.class).method().deliveryTag();
            c.send(1, new BasicMethod.Cancel(tag, false));
            assertEquals(tag, c.expect(1, BasicMethod.CancelOk.class).consumerTag());
            publish(c, 1, queue, "after cancel");
            QueueMethod.DeclareOk ok = declarePassive(c, 1, queue);
            assertEquals(1, ok.messageCount(), "no consumer any more: the second message waits");
            assertEquals(0, ok.consumerCount());
            c.send(1, new BasicMethod.Ack(deliveryTag, false)); // still the channel's to ack
            closeChannel(c, 1);
            c.openChannel(2);
            assertEquals(1, declarePassive(c, 2, queue).messageCount(), "the acked one is not given back");
        }
    }
}
