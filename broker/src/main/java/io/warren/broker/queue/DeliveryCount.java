package io.warren.broker.queue;

import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quorum queues' delivery count, as RabbitMQ 3.10 shows it: a message that came back (reject or
 * nack with requeue, recover, channel closed with it unacked) carries an {@code x-delivery-count}
 * header saying how many times, is redelivered, and goes to the back of the queue (RabbitMQ
 * 3.10's quorum queues put returns behind the messages already there); basic.get adds the header
 * even at 0, a consumer's first delivery has none. The queue keeps the message with that header,
 * re-encoding its header only when it comes back or is fetched: a quorum queue's fresh messages
 * cost nothing more, and classic queues never see this class.
 *
 * <p>Concurrency: the queue's loop.
 */
final class DeliveryCount {

    static final String HEADER = "x-delivery-count";

    private DeliveryCount() {}

    /** Whether the message has the header (a raw scan first: fresh messages are not decoded). */
    static boolean present(Message m) {
        return m.header().mayHaveHeader(HEADER) && m.headers().containsKey(HEADER);
    }

    /**
     * The times a message in a quorum queue came back: its header, 0 without one. (A quorum queue
     * replaces a publisher's own x-delivery-count as it takes the message in.)
     */
    static long of(Message m) {
        return m.header().mayHaveHeader(HEADER) && m.headers().get(HEADER) instanceof Number n ? n.longValue() : 0;
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
