package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A consumer that keeps what it is given, for tests to take in order: deliveries, and the
 * broker's basic.cancel if one comes.
 */
final class CollectingConsumer extends DefaultConsumer {

    /** One basic.deliver as the client saw it. */
    record Received(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        long tag() {
            return envelope.getDeliveryTag();
        }

        boolean redelivered() {
            return envelope.isRedeliver();
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final BlockingQueue<Received> deliveries = new LinkedBlockingQueue<>();
    final CompletableFuture<String> consumeOk = new CompletableFuture<>();
    final CompletableFuture<String> cancelledByBroker = new CompletableFuture<>();
    final CompletableFuture<String> cancelOk = new CompletableFuture<>();

    CollectingConsumer(Channel channel) {
        super(channel);
    }

    @Override
    public void handleConsumeOk(String consumerTag) {
        super.handleConsumeOk(consumerTag);
        consumeOk.complete(consumerTag);
    }

    @Override
    public void handleCancel(String consumerTag) {
        cancelledByBroker.complete(consumerTag);
    }

    @Override
    public void handleCancelOk(String consumerTag) {
        cancelOk.complete(consumerTag);
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        deliveries.add(new Received(consumerTag, envelope, properties, body));
    }

    /** The next delivery; fails after the suite's timeout. */
    Received next() throws InterruptedException {
        Received r = deliveries.poll(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(r, "no delivery within " + CompatTest.TIMEOUT_SECONDS + "s");
        return r;
    }

    /** The next {@code n} deliveries. */
    List<Received> next(int n) throws InterruptedException {
        List<Received> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** A delivery already here (or arriving within {@code millis}), or null. */
    Received poll(long millis) throws InterruptedException {
        return deliveries.poll(millis, TimeUnit.MILLISECONDS);
    }

    int pending() {
        return deliveries.size();
    }
}
