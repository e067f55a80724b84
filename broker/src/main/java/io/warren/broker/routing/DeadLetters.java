package io.warren.broker.routing;

import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.amqp.LongString;
import io.warren.broker.message.Message;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueuePolicy;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.Exchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.warren.broker.metrics.BrokerCounters;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * RabbitMQ's dead-lettering: a message rejected without requeue, expired, or dropped at a
 * length limit is republished to the queue's x-dead-letter-exchange, with the routing key
 * x-dead-letter-routing-key (then its CC header is removed) or else every key it was published
 * with (CC and BCC ones too), its expiration removed, and its history recorded in
 * the {@code x-death} header: one entry per (queue, reason) with a count, most recent first,
 * plus {@code x-first-death-queue/-reason/-exchange}.
 *
 * <p>A message that would come back to a queue it already died in, with no rejection anywhere
 * in that cycle, is dropped instead (RabbitMQ's cycle detection), so an expiry loop between two
 * queues cannot spin forever.
 *
 * <p>Backpressure: a target queue behind on taking messages in holds the dead-lettering queue's
 * publishers back, and its expiry, until it catches up ({@link Queue#holdPublishersFor}).
 *
 * <p>Concurrency: runs on the dead-lettering queue's loop; keeps no state between calls.
 */
public final class DeadLetters {

    private final LongSupplier messageIds;
    private final Persistence persistence;
    private final BrokerCounters counters;

    public DeadLetters(LongSupplier messageIds, Persistence persistence, BrokerCounters counters) {
        this.messageIds = messageIds;
        this.persistence = persistence;
        this.counters = counters;
    }

    public void deadLetter(VirtualHost vhost, Queue queue, Message message, String reason) {
        QueuePolicy policy = queue.policy();
        Exchange dlx = vhost.topology().exchange(policy.deadLetterExchange());
        if (dlx == null) {
            return; // RabbitMQ drops the message when the dead-letter exchange does not exist.
        }
        BasicProperties props = message.header().properties();
        Map<String, Object> headers = new LinkedHashMap<>(props.headers() == null ? Map.of() : props.headers());
        if (policy.quorum()) {
            headers.remove("x-delivery-count"); // a quorum queue's header for its deliveries only
        }
        // The publish routing key and the CC keys (BCC ones never show): the death's routing-keys.
        List<String> cc = ccKeys(headers);
        List<Object> history = recordDeath(headers, queue.name(), reason, message, props.expiration(), cc);
        String key;
        List<String> extraKeys;
        List<String> bcc;
        if (policy.deadLetterRoutingKey() != null) {
            // A routing key of its own replaces all the message's keys, so its CC header goes too.
            key = policy.deadLetterRoutingKey();
            headers.remove("CC");
            extraKeys = null;
            bcc = null;
        } else {
            // RabbitMQ republishes with every key the message was published with, BCC ones included.
            key = message.routingKey();
            bcc = message.bccRoutingKeys();
            extraKeys = concat(cc, bcc);
        }
        BasicProperties dead = new BasicProperties(props.contentType(), props.contentEncoding(), headers,
                props.deliveryMode(), props.priority(), props.correlationId(), props.replyTo(), null,
                props.messageId(), props.timestamp(), props.type(), props.userId(), props.appId(), props.clusterId());
        ContentHeader header = ContentHeader.of(message.header().classId(), dead, message.bodySize());
        Message copy = new Message(messageIds.getAsLong(), dlx.name(), key, header,
                message.body() == null ? null : message.body().retain(), System.currentTimeMillis(), Long.MAX_VALUE);
        copy.bccRoutingKeys(bcc);
        try {
            // A target behind on its intake holds this queue's publishers back (see Queue#holdPublishersFor).
            MessageRouter router = new MessageRouter(persistence, queue::holdPublishersFor);
            router.collect(vhost.topology(), dlx, copy, extraKeys);
            router.destinations().removeIf(target -> isCycle(history, target.name()));
            if (!router.destinations().isEmpty()) {
                counters.deadLettered.increment();
                byReason(reason).increment();
            }
            router.deliver(copy, 0, null);
        } finally {
            copy.release();
        }
    }

    /** RabbitMQ's reasons, as the x-death header names them. */
    private LongAdder byReason(String reason) {
        return switch (reason) {
            case "expired" -> counters.deadLetteredExpired;
            case "maxlen" -> counters.deadLetteredMaxlen;
            case "delivery_limit" -> counters.deadLetteredDeliveryLimit;
            default -> counters.deadLetteredRejected;
        };
    }

    /** The long-string keys of the CC header (sender-selected distribution); other elements are ignored. */
    private static List<String> ccKeys(Map<String, Object> headers) {
        if (!(headers.get("CC") instanceof List<?> list) || list.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(list.size());
        addRoutingKeys(list, keys);
        return keys;
    }

    /**
     * Adds the long-string elements of a CC or BCC header's array to {@code keys}, ignoring other
     * elements and a value that is not an array (sender-selected distribution).
     */
    public static void addRoutingKeys(Object value, List<String> keys) {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof LongString || o instanceof String) {
                    keys.add(o.toString());
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        if (b == null || b.isEmpty()) {
            return a.isEmpty() ? null : a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Updates x-death and the x-first-death headers in place, as RabbitMQ 3.10 does and 3.13's
     * documentation describes (3.13.3 and later read an x-death header a client published, like
     * 3.12 did): the entry for this (queue, reason), if any, gets its count incremented and moves
     * to the front, keeping its other fields (its time is that of its first death); otherwise a
     * new entry goes first. The x-first-death headers are set only when the message had no x-death
     * header at all, and then replace any a client set. An x-death header that is not an array is
     * replaced. Answers the new x-death list.
     */
    private static List<Object> recordDeath(Map<String, Object> headers, String queue, String reason,
                                            Message message, String expiration, List<String> cc) {
        List<Object> history = new ArrayList<>();
        boolean firstDeath = !headers.containsKey("x-death");
        Object existing = headers.get("x-death");
        Map<String, Object> same = null;
        if (existing instanceof List<?> list) {
            for (Object o : list) {
                if (same == null && o instanceof Map<?, ?> entry && queue.equals(text(entry.get("queue")))
                        && reason.equals(text(entry.get("reason")))) {
                    same = new LinkedHashMap<>(cast(entry));
                } else {
                    history.add(o);
                }
            }
        }
        Map<String, Object> entry;
        if (same != null) {
            long count = same.get("count") instanceof Number n ? n.longValue() : 0;
            same.put("count", count + 1);
            entry = same;
        } else {
            entry = new LinkedHashMap<>();
            entry.put("count", 1L);
            entry.put("reason", LongString.of(reason));
            entry.put("queue", LongString.of(queue));
            entry.put("time", Instant.ofEpochSecond(System.currentTimeMillis() / 1000));
            entry.put("exchange", LongString.of(message.exchange()));
            List<Object> keys = new ArrayList<>(1 + cc.size());
            keys.add(LongString.of(message.routingKey()));
            for (String k : cc) {
                keys.add(LongString.of(k));
            }
            entry.put("routing-keys", keys);
            if (expiration != null) {
                entry.put("original-expiration", LongString.of(expiration));
            }
        }
        history.add(0, entry);
        headers.put("x-death", history);
        if (firstDeath) {
            headers.put("x-first-death-reason", LongString.of(reason));
            headers.put("x-first-death-queue", LongString.of(queue));
            headers.put("x-first-death-exchange", LongString.of(message.exchange()));
        }
        return history;
    }

    /**
     * True when the message already died in {@code target} and every death since then (the
     * entries before it, most recent first) was automatic: it would loop without a client ever
     * deciding anything.
     */
    private static boolean isCycle(List<Object> history, String target) {
        for (Object o : history) {
            if (!(o instanceof Map<?, ?> entry)) {
                continue;
            }
            if ("rejected".equals(text(entry.get("reason")))) {
                return false;
            }
            if (target.equals(text(entry.get("queue")))) {
                return true;
            }
        }
        return false;
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
