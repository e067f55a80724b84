package io.warren.broker.queue;

import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quorum queues' delivery count, as RabbitMQ 3.10 shows it: every delivery from a quorum queue
 * carries an {@code x-delivery-count} header (0 the first time, replacing any the publisher set)
 * saying how many times the message came back (reject or nack with requeue, recover, channel
 * closed with it unacked); a message that came back is redelivered, at the back of the queue
 * (RabbitMQ 3.10's quorum queues put returns behind the messages already there). The queue keeps
 * the message with that header, so the count costs nothing per delivery: a quorum queue
 * re-encodes a message's header once when it takes it in and once per return. Classic queues
 * never see this class.
 *
 * <p>Concurrency: the queue's loop.
 */
final class DeliveryCount {

    static final String HEADER = "x-delivery-count";

    private DeliveryCount() {}

    /** The count a message taken in by a quorum queue carries. */
    static long of(Message m) {
        return m.headers().get(HEADER) instanceof Number n ? n.longValue() : 0;
    }

    /**
     * The message with its header saying {@code count}: a new message with the same id (so the
     * store, keyed by id, is unaffected), times and BCC keys, sharing the body. Takes over the
     * caller's reference to {@code m}, handing back one to the copy.
     */
    static Message stamp(Message m, long count) {
        BasicProperties p = m.header().properties();
        Map<String, Object> headers = new LinkedHashMap<>(p.headers() == null ? Map.of() : p.headers());
        headers.put(HEADER, count);
        BasicProperties counted = new BasicProperties(p.contentType(), p.contentEncoding(), headers,
                p.deliveryMode(), p.priority(), p.correlationId(), p.replyTo(), p.expiration(),
                p.messageId(), p.timestamp(), p.type(), p.userId(), p.appId(), p.clusterId());
        ContentHeader header = ContentHeader.of(m.header().classId(), counted, m.bodySize());
        Message copy = new Message(m.id(), m.exchange(), m.routingKey(), header,
                m.body() == null ? null : m.body().retain(), m.arrivalMillis(), m.expiresAtMillis());
        copy.bccRoutingKeys(m.bccRoutingKeys());
        copy.knownHeaders(headers);
        m.release();
        return copy;
    }
}
