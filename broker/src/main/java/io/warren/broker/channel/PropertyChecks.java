package io.warren.broker.channel;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.amqp.ReplyCode;
import io.warren.broker.queue.QueueArguments;
import io.warren.broker.routing.DeadLetters;
import io.warren.broker.routing.DirectReplyTo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ's checks and rewrites of the properties a publisher sets: user-id, reply-to for
 * direct reply-to, the expiration, and the CC / BCC headers of sender-selected distribution. The
 * header is only decoded where one of them may be present.
 *
 * <p>Keeps the extra routing keys of the message checked last ({@link #extraKeys},
 * {@link #bccKeys}), valid until the next check.
 *
 * <p>Concurrency: connection loop only.
 */
final class PropertyChecks {

    private final AmqpChannel channel;
    private final Subscriptions subscriptions;
    /** CC and BCC routing keys of the message being published (sender-selected distribution), or null. */
    private List<String> extraKeys;
    /** Its BCC keys alone, or null: dead-lettering routes with them again (they leave the header). */
    private List<String> bccKeys;

    PropertyChecks(AmqpChannel channel, Subscriptions subscriptions) {
        this.channel = channel;
        this.subscriptions = subscriptions;
    }

    List<String> extraKeys() {
        return extraKeys;
    }

    List<String> bccKeys() {
        return bccKeys;
    }

    /**
     * user-id must be the authenticated user; reply-to "amq.rabbitmq.reply-to" (direct reply-to)
     * is rewritten to the channel's own reply address, and needs the channel to consume its
     * replies first. Answers the header to use (a new one when rewritten; the old one is then
     * released).
     */
    ContentHeader userAndReplyTo(ContentHeader header, AmqpMethod m) {
        String userId = header.userId();
        if (userId != null && !userId.equals(channel.access().userName()) && !channel.access().impersonator()) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "user_id property set to '" + userId
                    + "' but authenticated user was '" + channel.access().userName() + "'", m.classId(), m.methodId());
        }
        if (!DirectReplyTo.QUEUE.equals(header.replyTo())) {
            return header;
        }
        String token = subscriptions.replyToken();
        if (token == null) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "fast reply consumer does not exist",
                    m.classId(), m.methodId());
        }
        BasicProperties p = header.properties();
        BasicProperties rewritten = new BasicProperties(p.contentType(), p.contentEncoding(), p.headers(),
                p.deliveryMode(), p.priority(), p.correlationId(), DirectReplyTo.PREFIX + token, p.expiration(),
                p.messageId(), p.timestamp(), p.type(), p.userId(), p.appId(), p.clusterId());
        ContentHeader replaced = ContentHeader.of(header.classId(), rewritten, header.bodySize());
        header.release();
        return replaced;
    }

    /**
     * RabbitMQ's sender-selected distribution: long-string arrays in the CC and BCC headers are
     * more routing keys for this message (other array elements are ignored); BCC is removed before
     * anyone sees it. A CC or BCC header that is not an array makes the message invalid (406), as
     * in RabbitMQ. The raw headers are only scanned, not decoded, unless one of the two keys may
     * be there.
     */
    ContentHeader senderSelected(ContentHeader header, AmqpMethod m) {
        extraKeys = null;
        bccKeys = null;
        boolean cc = header.mayHaveHeader("CC");
        boolean bcc = header.mayHaveHeader("BCC");
        if (!cc && !bcc) {
            return header;
        }
        Map<String, Object> headers = header.headers();
        checkRoutingHeader(headers, "CC", m);
        checkRoutingHeader(headers, "BCC", m);
        List<String> keys = new ArrayList<>();
        DeadLetters.addRoutingKeys(headers.get("CC"), keys);
        boolean hasBcc = headers.containsKey("BCC");
        if (hasBcc) {
            List<String> hidden = new ArrayList<>();
            DeadLetters.addRoutingKeys(headers.get("BCC"), hidden);
            keys.addAll(hidden);
            bccKeys = hidden.isEmpty() ? null : hidden;
        }
        extraKeys = keys.isEmpty() ? null : keys;
        if (!hasBcc) {
            return header;
        }
        Map<String, Object> kept = new LinkedHashMap<>(headers);
        kept.remove("BCC");
        BasicProperties p = header.properties();
        BasicProperties without = new BasicProperties(p.contentType(), p.contentEncoding(), kept,
                p.deliveryMode(), p.priority(), p.correlationId(), p.replyTo(), p.expiration(),
                p.messageId(), p.timestamp(), p.type(), p.userId(), p.appId(), p.clusterId());
        ContentHeader replaced = ContentHeader.of(header.classId(), without, header.bodySize());
        header.release();
        return replaced;
    }

    /** RabbitMQ's rabbit_basic:header_routes refuses a CC or BCC header that is not an array. */
    private static void checkRoutingHeader(Map<String, Object> headers, String key, AmqpMethod m) {
        if (headers.containsKey(key) && !(headers.get(key) instanceof List<?>)) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "invalid message: {unacceptable_type_in_header,\""
                    + key + "\"," + QueueArguments.amqpTypeName(headers.get(key)) + "}", m.classId(), m.methodId());
        }
    }

    /** The expiration property as an absolute time; RabbitMQ refuses one that is not a number. */
    static long expiresAt(ContentHeader header, long now, AmqpMethod m) {
        String expiration = header.expiration();
        if (expiration == null) {
            return Long.MAX_VALUE;
        }
        long ttl;
        try {
            ttl = Long.parseLong(expiration);
        } catch (NumberFormatException e) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "invalid expiration '" + expiration
                    + "': no_integer", m.classId(), m.methodId());
        }
        if (ttl < 0) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "invalid expiration '" + expiration
                    + "': {value_negative," + ttl + "}", m.classId(), m.methodId());
        }
        return now + ttl;
    }
}
