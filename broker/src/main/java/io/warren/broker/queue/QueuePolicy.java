package io.warren.broker.queue;

import java.util.Map;

/**
 * What a queue's x-arguments ask of it, read once at declare (they are validated by then):
 * message TTL, queue expiry, length limits and what to do when they are hit, dead-lettering,
 * priorities, single active consumer. -1 (or null) means "not set".
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
        boolean singleActiveConsumer) {

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
                Boolean.TRUE.equals(args.get("x-single-active-consumer")));
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
