package io.warren.broker.queue;

import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;

/** What the queue unit tests share: a one-byte message and a listener that ignores everything. */
final class QueueTests {

    private QueueTests() {
    }

    static Message message(long id) {
        BasicProperties props = new BasicProperties(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        return new Message(id, "", "q", ContentHeader.of(60, props, 1), Unpooled.wrappedBuffer(new byte[1]),
                0, Long.MAX_VALUE);
    }

    static QueueListener ignoring() {
        return new QueueListener() {
            @Override public void autoDelete(Queue queue) { }
            @Override public void expire(Queue queue) { }
            @Override public void deadLetter(Queue queue, Message message, String reason) { }
        };
    }
}
