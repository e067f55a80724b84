package io.warren.broker.channel;

import io.warren.amqp.AmqpException;

/** The reply-text of channel.close and connection.close, as RabbitMQ words it. */
public final class ReplyText {

    private ReplyText() {}

    /** RabbitMQ's reply texts start with the reply code's name: "NOT_FOUND - no queue 'x'...". */
    public static String of(AmqpException e) {
        String text = e.replyCode().name() + " - " + e.replyText();
        return text.length() > 255 ? text.substring(0, 255) : text;
    }
}
