package io.warren.broker.channel;

import java.security.SecureRandom;
import java.util.Base64;

/** Server-generated names, in RabbitMQ's formats: {@code amq.gen-…} queues, {@code amq.ctag-…} tags. */
final class Names {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Names() {}

    static String queueName() {
        return "amq.gen-" + random();
    }

    static String consumerTag() {
        return "amq.ctag-" + random();
    }

    private static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
