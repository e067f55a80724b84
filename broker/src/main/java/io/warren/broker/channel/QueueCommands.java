package io.warren.broker.channel;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.QueueMethod;
import io.warren.amqp.ReplyCode;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueArguments;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.routing.DirectReplyTo;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.BindResult;
import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.UnbindResult;
import java.util.Map;

/**
 * queue.declare, bind, unbind, purge and delete, with RabbitMQ's checks and reply texts.
 *
 * <p>Concurrency: connection loop. Declare and bind are answered at once (the vhost and topology
 * are thread-safe; counts come from the queue's atomics); purge and delete run on the queue's
 * loop through {@link AmqpChannel#callQueue}.
 */
final class QueueCommands {

    private final AmqpChannel channel;

    QueueCommands(AmqpChannel channel) {
        this.channel = channel;
    }

    private VirtualHost vhost() {
        return channel.vhost();
    }

    private Object owner() {
        return channel.connection();
    }

    private BrokerCounters counters() {
        return channel.connection().services().counters();
    }

    /**
     * RabbitMQ's order: a passive declare only looks the queue up (no empty-name shortcut); an
     * existing queue is checked for exclusivity and equivalence only; the arguments of a new one
     * are validated before it is created.
     */
    void declare(QueueMethod.Declare m) {
        String name = Names.stripCrLf(m.queue());
        Map<String, Object> args = m.arguments() == null ? Map.of() : m.arguments();
        if (m.passive()) {
            if (name.equals(DirectReplyTo.QUEUE)
                    || channel.connection().services().directReplyTo().exists(name)) {
                if (!m.noWait()) {
                    channel.send(new QueueMethod.DeclareOk(name, 0, 0));
                }
                return;
            }
            Queue q = existing(name, m);
            checkExclusive(q, m);
            declared(q, m.noWait());
            return;
        }
        if (name.isEmpty()) {
            String refusal = QueueArguments.serverNamedRefusal(args);
            if (refusal != null) {
                throw new AmqpException(ReplyCode.PRECONDITION_FAILED, refusal, m.classId(), m.methodId());
            }
            name = Names.queueName();
        } else if (name.startsWith("amq.")) {
            // Even for a queue that exists (a server-named one): RabbitMQ's check_name.
            throw new AmqpException(ReplyCode.ACCESS_REFUSED, "queue name '" + name
                    + "' contains reserved prefix 'amq.*'", m.classId(), m.methodId());
        }
        channel.access().configure("queue", name, m);
        QueueDefinition wanted = new QueueDefinition(vhost().name(), name, m.durable(), m.exclusive(),
                m.autoDelete(), args);
        Queue q = vhost().queue(name);
        if (q == null) {
            // RabbitMQ's order for a new queue: the vhost's queue limit, the dead-letter
            // exchange's permissions, then the arguments
            String overLimit = vhost().queueLimitRefusal(name);
            if (overLimit != null) {
                throw new AmqpException(ReplyCode.PRECONDITION_FAILED, overLimit, m.classId(), m.methodId());
            }
            Object dlx = args.get("x-dead-letter-exchange");
            if (QueueArguments.isString(dlx)) {
                channel.access().read("queue", name, m);
                channel.access().write("exchange", dlx.toString(), m);
            }
            QueueArguments.Invalid invalid = QueueArguments.validate(wanted);
            if (invalid != null) {
                throw new AmqpException(ReplyCode.PRECONDITION_FAILED, invalid.explain(name, vhost().name()),
                        m.classId(), m.methodId());
            }
            VirtualHost.DeclaredQueue result = vhost().declareQueue(wanted, channel.connection().eventLoop(),
                    m.exclusive() ? owner() : null);
            q = result.queue();
            if (result.created()) {
                counters().queuesDeclared.increment();
                q.touch();
                channel.lastQueue(q.name());
                channel.replyTopology(Persistence.storesMessages(q), m.noWait() ? null
                        : new QueueMethod.DeclareOk(q.name(), q.messageCount(), q.consumerCount()));
                return;
            }
        }
        checkExclusiveStrict(q, m.exclusive(), m);
        checkEquivalent(q.definition(), wanted, m);
        counters().queuesDeclared.increment();
        declared(q, m.noWait());
    }

    private void declared(Queue q, boolean noWait) {
        q.touch();
        channel.lastQueue(q.name());
        if (!noWait) {
            channel.send(new QueueMethod.DeclareOk(q.name(), q.messageCount(), q.consumerCount()));
        }
    }

    private void checkEquivalent(QueueDefinition current, QueueDefinition wanted, AmqpMethod m) {
        field(current, "durable", wanted.durable(), current.durable(), m);
        field(current, "auto_delete", wanted.autoDelete(), current.autoDelete(), m);
        for (String key : QueueArguments.EQUIVALENCE_KEYS) {
            Object was = current.arguments().get(key);
            Object now = wanted.arguments().get(key);
            if (!QueueArguments.equivalent(was, now)) {
                throw Errors.inequivalentArg(key, "queue '" + current.name() + "' in vhost '" + current.vhost() + "'",
                        now, was, m);
            }
        }
    }

    private static void field(QueueDefinition q, String field, boolean wanted, boolean current, AmqpMethod m) {
        if (wanted != current) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "inequivalent arg '" + field + "' for queue '"
                    + q.name() + "' in vhost '" + q.vhost() + "': received '" + wanted + "' but current is '"
                    + current + "'", m.classId(), m.methodId());
        }
    }

    void bind(QueueMethod.Bind m) {
        String queue = Names.stripCrLf(channel.expandQueueName(m.queue(), m));
        String key = m.queue().isEmpty() && m.routingKey().isEmpty() ? queue : m.routingKey();
        String exchange = Names.stripCrLf(m.exchange());
        Binding binding = new Binding(exchange, DestinationKind.QUEUE, queue, key,
                m.arguments() == null ? Map.of() : m.arguments());
        checkBindable(binding, m);
        BindResult result = Errors.bind(channel.vhost().topology(), binding, m);
        switch (result) {
            case SOURCE_NOT_FOUND -> throw Errors.noExchange(exchange, vhost().name(), m);
            case DESTINATION_NOT_FOUND -> throw Errors.noQueue(queue, vhost().name(), m);
            case CREATED -> vhost().listener().bindingAdded(vhost(), binding);
            default -> { }
        }
        boolean durable = result == BindResult.CREATED && Persistence.isDurable(vhost(), binding);
        channel.replyTopology(durable, m.noWait() ? null : new QueueMethod.BindOk());
    }

    void unbind(QueueMethod.Unbind m) {
        String queue = Names.stripCrLf(channel.expandQueueName(m.queue(), m));
        String key = m.queue().isEmpty() && m.routingKey().isEmpty() ? queue : m.routingKey();
        Binding binding = new Binding(Names.stripCrLf(m.exchange()), DestinationKind.QUEUE, queue, key,
                m.arguments() == null ? Map.of() : m.arguments());
        checkBindable(binding, m);
        java.util.List<String> cascade = new java.util.ArrayList<>();
        UnbindResult result = vhost().topology().unbind(binding, cascade::add);
        switch (result) {
            // RabbitMQ 3.10 answers unbind-ok when the exchange or queue does not exist.
            case REMOVED -> vhost().listener().bindingRemoved(vhost(), binding);
            default -> { }
        }
        for (String x : cascade) {
            vhost().listener().exchangeDeleted(vhost(), x);
        }
        boolean durable = result == UnbindResult.REMOVED && Persistence.isDurable(vhost(), binding);
        channel.replyTopology(durable || !cascade.isEmpty(), new QueueMethod.UnbindOk());
    }

    /**
     * RabbitMQ's binding_action order: write on the queue, not the default exchange, read on the
     * exchange, the topic read permission on the binding key, then the queue's exclusivity.
     */
    private void checkBindable(Binding b, AmqpMethod m) {
        channel.access().write("queue", b.destination(), m);
        ExchangeCommands.checkNotDefault(b.source(), m);
        channel.access().read("exchange", b.source(), m);
        ExchangeCommands.checkTopicRead(channel, b, m);
        Queue q = vhost().queue(b.destination());
        if (q != null) {
            checkExclusive(q, m);
        }
    }

    void purge(QueueMethod.Purge m) {
        String name = channel.expandQueueName(m.queue(), m);
        channel.access().read("queue", name, m); // before the queue's existence, as RabbitMQ
        Queue q = existing(name, m);
        checkExclusive(q, m);
        channel.callQueue(q, q::purge, (count, open) -> {
            if (open && !m.noWait()) {
                channel.send(new QueueMethod.PurgeOk(count));
            }
        });
    }

    void delete(QueueMethod.Delete m) {
        String name = Names.stripCrLf(channel.expandQueueName(m.queue(), m));
        channel.access().configure("queue", name, m); // also for a queue that is gone, as RabbitMQ
        Queue q = vhost().queue(name);
        if (q == null) {
            // RabbitMQ answers delete-ok for a queue that is already gone.
            if (!m.noWait()) {
                channel.send(new QueueMethod.DeleteOk(0));
            }
            return;
        }
        checkExclusive(q, m);
        channel.callQueue(q, () -> deleteOnOwner(q, m), (outcome, open) -> {
            if (!open) {
                return;
            }
            if (outcome instanceof AmqpException e) {
                throw e;
            }
            channel.replyTopology(Persistence.storesMessages(q),
                    m.noWait() ? null : new QueueMethod.DeleteOk((Integer) outcome));
        });
    }

    /** On the queue's loop: the if-unused / if-empty checks and the delete, atomically. */
    private Object deleteOnOwner(Queue q, QueueMethod.Delete m) {
        if (m.ifUnused() && q.consumerCount() > 0) {
            return new AmqpException(ReplyCode.PRECONDITION_FAILED, "queue '" + q.name() + "' in vhost '"
                    + vhost().name() + "' in use", m.classId(), m.methodId());
        }
        if (m.ifEmpty() && q.messageCount() > 0) {
            return new AmqpException(ReplyCode.PRECONDITION_FAILED, "queue '" + q.name() + "' in vhost '"
                    + vhost().name() + "' not empty", m.classId(), m.methodId());
        }
        int count = q.messageCount();
        vhost().deleteQueue(q);
        return count;
    }

    Queue existing(String name, AmqpMethod m) {
        Queue q = vhost().queue(name);
        if (q == null) {
            throw Errors.noQueue(name, vhost().name(), m);
        }
        return q;
    }

    /** Lax: an exclusive queue is usable only by its own connection. */
    void checkExclusive(Queue q, AmqpMethod m) {
        Object owner = q.exclusiveOwner();
        if (owner != null && owner != owner()) {
            throw Errors.locked(q.name(), vhost().name(), m);
        }
    }

    /** Strict (a non-passive redeclare): the exclusive flag must match too. */
    private void checkExclusiveStrict(Queue q, boolean exclusive, AmqpMethod m) {
        checkExclusive(q, m);
        if (exclusive != (q.exclusiveOwner() != null)) {
            throw Errors.locked(q.name(), vhost().name(), m);
        }
    }
}
