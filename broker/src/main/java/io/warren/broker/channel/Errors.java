package io.warren.broker.channel;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ReplyCode;
import io.warren.broker.queue.QueueArguments;

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

    /**
     * RabbitMQ's inequivalent-argument error (rabbit_misc:assert_args_equivalence): when both
     * declarations have the argument the values are shown bare ("received '2000' but current is
     * '1000'"); when one lacks it, the other is shown with its type ("received none but current
     * is the value '1000' of type 'signedint'").
     */
    static AmqpException inequivalentArg(String key, String resource, Object wanted, Object current,
                                         AmqpMethod m) {
        String received;
        String was;
        if (wanted != null && current != null) {
            received = "'" + wanted + "'";
            was = "'" + current + "'";
        } else {
            received = describe(wanted);
            was = describe(current);
        }
        return new AmqpException(ReplyCode.PRECONDITION_FAILED, "inequivalent arg '" + key + "' for " + resource
                + ": received " + received + " but current is " + was, m.classId(), m.methodId());
    }

    /** A value the way RabbitMQ's inequivalence messages show it: "the value '5' of type 'long'" or "none". */
    static String describe(Object value) {
        if (value == null) {
            return "none";
        }
        return "the value '" + value + "' of type '" + QueueArguments.amqpTypeName(value) + "'";
    }
}
