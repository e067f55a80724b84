package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.TrafficListener;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A channel deletes a queue it consumes from: RabbitMQ answers queue.delete-ok first, then
 * tells the channel its consumer is gone (basic.cancel, to clients announcing
 * consumer_cancel_notify, as the Java client does), whether the queue is durable or not and
 * whichever connection declared it (in Warren: whether the queue is on the channel's loop).
 */
class DeleteConsumedQueueTest extends CompatTest {

    /** The methods the broker sent, in the order the client read them. */
    private static final class Received implements TrafficListener {
        final List<String> methods = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(Command outbound) {
        }

        @Override
        public void read(Command inbound) {
            methods.add(inbound.getMethod().protocolMethodName());
        }
    }

    private static void deleteWhileConsuming(ConnectionFactory f, Connection declarer, boolean durable,
                                             String q) throws Exception {
        Received received = new Received();
        f.setTrafficListener(received);
        try (Connection c = f.newConnection()) {
            Channel ch = c.createChannel();
            Channel declaring = declarer == null ? ch : declarer.createChannel();
            declaring.queueDeclare(q, durable, false, false, null);
            CollectingConsumer consumer = new CollectingConsumer(ch);
            ch.basicConsume(q, false, consumer);
            received.methods.clear();
            assertEquals(0, ch.queueDelete(q).getMessageCount());
            consumer.cancelledByBroker.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(List.of("queue.delete-ok", "basic.cancel"), received.methods.subList(0, 2));
        }
    }

    @ParameterizedTest(name = "durable={0}, declared by another connection={1}")
    @CsvSource({"true,false", "true,true", "false,false", "false,true"})
    void deleteOkComesBeforeTheCancel(boolean durable, boolean otherConnection) throws Exception {
        deleteWhileConsuming(factory(), otherConnection ? connect() : null, durable, queueName("delete-consumed"));
    }

    @TempDir
    Path dataDir;

    /** A durable delete is answered once on disk: the cancel still waits for the delete-ok. */
    @Test
    @WarrenOnly
    void deleteOkComesBeforeTheCancelWhenTheDeleteWaitsForTheDisk() throws Exception {
        try (Broker broker = BrokerUnderTest.startWarren(
                BrokerConfig.builder().ephemeral().dataDir(dataDir).ioThreads(2))) {
            ConnectionFactory f = factory();
            f.setPort(broker.amqpPort());
            try (Connection other = f.newConnection()) {
                deleteWhileConsuming(f, null, true, "delete-consumed-own");
                deleteWhileConsuming(f, other, true, "delete-consumed-other");
            }
        }
    }
}
