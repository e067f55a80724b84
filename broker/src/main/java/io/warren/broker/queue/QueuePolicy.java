package io.warren.broker.queue;

import java.util.Map;

/**
 * What a queue's x-arguments ask of it, read once at declare (they are validated by then):
 * message TTL, queue expiry, length limits and what to do when they are hit, dead-lettering,
 * priorities, single active consumer, and for quorum queues the delivery limit. -1 (or null)
 * means "not set".
 */
public record QueuePolicy(
        long messageTtl,
        long expires,
        long maxLength,
        long maxLengthBytes,
        Overflow overflow,
        String deadLetterExchange,
        String deadLetterRoutingKey,
        int maxPriority,
        boolean singleActiveConsumer,
        boolean quorum,
        long deliveryLimit) {

    /** {@link #deliveryLimit()} of a queue without one. */
    public static final long NO_DELIVERY_LIMIT = Long.MAX_VALUE;

    /** RabbitMQ's x-overflow values. */
    public enum Overflow {
        DROP_HEAD, REJECT_PUBLISH, REJECT_PUBLISH_DLX;

        static Overflow of(String s) {
            if (s == null) {
                return DROP_HEAD;
            }
            return switch (s) {
                case "reject-publish" -> REJECT_PUBLISH;
                case "reject-publish-dlx" -> REJECT_PUBLISH_DLX;
                default -> DROP_HEAD;
            };
        }
    }

    public static QueuePolicy of(Map<String, Object> args) {
        return new QueuePolicy(
                QueueArguments.longArg(args, "x-message-ttl", -1),
                QueueArguments.longArg(args, "x-expires", -1),
                QueueArguments.longArg(args, "x-max-length", -1),
                QueueArguments.longArg(args, "x-max-length-bytes", -1),
                Overflow.of(QueueArguments.stringArg(args, "x-overflow")),
                QueueArguments.stringArg(args, "x-dead-letter-exchange"),
                QueueArguments.stringArg(args, "x-dead-letter-routing-key"),
                (int) Math.min(255, QueueArguments.longArg(args, "x-max-priority", 0)),
                Boolean.TRUE.equals(args.get("x-single-active-consumer")),
                QueueArguments.isQuorum(args),
                QueueArguments.isQuorum(args) ? deliveryLimit(args.get("x-delivery-limit")) : NO_DELIVERY_LIMIT);
    }

    /**
     * A quorum queue's x-delivery-limit: a message returned more times than this is dropped (or
     * dead-lettered as delivery_limit). RabbitMQ 3.10 takes any value and compares the count with
     * it as Erlang compares terms: a negative limit drops at the first return, a fractional one
     * acts as its floor, a non-number (a string, say) never drops.
     */
    private static long deliveryLimit(Object v) {
        if (QueueArguments.isInteger(v)) {
            return QueueArguments.asLong(v);
        }
        if (v instanceof Number n) {
            return (long) Math.floor(n.doubleValue());
        }
        return NO_DELIVERY_LIMIT;
    }

    public boolean hasDeliveryLimit() {
        return deliveryLimit != NO_DELIVERY_LIMIT;
    }

    public boolean hasLengthLimit() {
        return maxLength >= 0 || maxLengthBytes >= 0;
    }

    public boolean deadLetters() {
        return deadLetterExchange != null;
    }

    /** Whether a queue holding {@code count} messages of {@code bytes} is over its limits. */
    boolean overLimit(long count, long bytes) {
        return (maxLength >= 0 && count > maxLength) || (maxLengthBytes >= 0 && bytes > maxLengthBytes);
    }

    /** Whether one more message of {@code size} would not fit (reject-publish). */
    boolean full(long count, long bytes, long size) {
        return (maxLength >= 0 && count >= maxLength) || (maxLengthBytes >= 0 && bytes + size > maxLengthBytes);
    }
}
