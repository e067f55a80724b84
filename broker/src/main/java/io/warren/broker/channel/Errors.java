package io.warren.broker.channel;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.LongString;
import io.warren.amqp.ReplyCode;

/** The reply texts several commands share, worded as RabbitMQ words them. */
final class Errors {

    private Errors() {}

    static AmqpException noExchange(String name, String vhost, AmqpMethod m) {
        return new AmqpException(ReplyCode.NOT_FOUND, "no exchange '" + name + "' in vhost '" + vhost + "'",
                m.classId(), m.methodId());
    }

    static AmqpException noQueue(String name, String vhost, AmqpMethod m) {
        return new AmqpException(ReplyCode.NOT_FOUND, "no queue '" + name + "' in vhost '" + vhost + "'",
                m.classId(), m.methodId());
    }

    static AmqpException locked(String name, String vhost, AmqpMethod m) {
        return new AmqpException(ReplyCode.RESOURCE_LOCKED, "cannot obtain exclusive access to locked queue '"
                + name + "' in vhost '" + vhost + "'. It could be originally declared on another connection or the"
                + " exclusive property value does not match that of the original declaration.",
                m.classId(), m.methodId());
    }

    /** A value the way RabbitMQ's inequivalence messages show it: "the value '5' of type 'long'" or "none". */
    static String describe(Object value) {
        if (value == null) {
            return "none";
        }
        return "the value '" + value + "' of type '" + typeName(value) + "'";
    }

    private static String typeName(Object v) {
        if (v instanceof LongString || v instanceof String) {
            return "longstr";
        }
        if (v instanceof Integer) {
            return "signedint";
        }
        if (v instanceof Long) {
            return "long";
        }
        if (v instanceof Short) {
            return "short";
        }
        if (v instanceof Byte) {
            return "byte";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double) {
            return "double";
        }
        if (v instanceof Float) {
            return "float";
        }
        return v.getClass().getSimpleName();
    }
}
