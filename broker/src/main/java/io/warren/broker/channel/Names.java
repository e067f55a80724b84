package io.warren.broker.channel;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Names: server-generated ones in RabbitMQ's formats ({@code amq.gen-…} queues,
 * {@code amq.ctag-…} tags), and RabbitMQ's clean-up of names clients send.
 */
final class Names {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Names() {}

    /**
     * RabbitMQ drops carriage returns and line feeds from the queue and exchange names of
     * queue.declare, bind, unbind and delete and of exchange.declare, delete, bind and unbind
     * (not of basic.publish, get, consume or queue.purge): {@code "a\r\nb"} declares and
     * finds queue {@code "ab"}.
     */
    static String stripCrLf(String name) {
        if (name.indexOf('\r') < 0 && name.indexOf('\n') < 0) {
            return name;
        }
        StringBuilder kept = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '\r' && c != '\n') {
                kept.append(c);
            }
        }
        return kept.toString();
    }

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
