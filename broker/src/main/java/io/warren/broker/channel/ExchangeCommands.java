package io.warren.broker.channel;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ExchangeMethod;
import io.warren.amqp.ReplyCode;
import io.warren.broker.persistence.Persistence;
import io.warren.exchange.BindResult;
import io.warren.exchange.Binding;
import io.warren.exchange.Declared;
import io.warren.exchange.DeleteResult;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.Exchange;
import io.warren.exchange.ExchangeDefinition;
import io.warren.exchange.Topology;
import io.warren.exchange.UnbindResult;
import io.warren.exchange.UnknownExchangeTypeException;
import io.warren.broker.queue.Queue;
import java.util.Map;

/**
 * exchange.declare, delete, bind and unbind, with RabbitMQ's checks and reply texts.
 *
 * <p>Concurrency: connection loop; the topology serialises changes itself.
 */
final class ExchangeCommands {

    /** The only exchange argument RabbitMQ compares when an exchange is declared again. */
    private static final String ALTERNATE_EXCHANGE = "alternate-exchange";

    private final AmqpChannel channel;

    ExchangeCommands(AmqpChannel channel) {
        this.channel = channel;
    }

    private Topology<Queue> topology() {
        return channel.vhost().topology();
    }

    void declare(ExchangeMethod.Declare m) {
        String name = Names.stripCrLf(m.exchange());
        if (m.passive()) {
            checkNotDefault(name, m);
            Exchange found = topology().exchange(name);
            if (found == null) {
                throw Errors.noExchange(name, channel.vhost().name(), m);
            }
            replyDeclareOk(m.noWait());
            return;
        }
        if (!topology().types().isKnown(m.type())) {
            throw new AmqpException(ReplyCode.COMMAND_INVALID, "unknown exchange type '" + m.type() + "'",
                    m.classId(), m.methodId());
        }
        checkNotDefault(name, m);
        channel.access().configure("exchange", name, m);
        Exchange existing = topology().exchange(name);
        if (existing == null) {
            if (name.startsWith("amq.")) {
                throw new AmqpException(ReplyCode.ACCESS_REFUSED, "exchange name '" + name
                        + "' contains reserved prefix 'amq.*'", m.classId(), m.methodId());
            }
            Object ae = m.arguments() == null ? null : m.arguments().get(ALTERNATE_EXCHANGE);
            if (ae != null && !io.warren.broker.queue.QueueArguments.isString(ae)) {
                // RabbitMQ checks the type of a new exchange's alternate-exchange only.
                throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "invalid type '"
                        + io.warren.broker.queue.QueueArguments.amqpTypeName(ae) + "' for arg '" + ALTERNATE_EXCHANGE
                        + "' in exchange '" + name + "' in vhost '" + channel.vhost().name() + "'",
                        m.classId(), m.methodId());
            }
            if (ae != null) {
                // RabbitMQ: read on the new exchange, write on its alternate
                channel.access().read("exchange", name, m);
                channel.access().write("exchange", ae.toString(), m);
            }
            ExchangeDefinition wanted = new ExchangeDefinition(name, m.type(), m.durable(), m.autoDelete(),
                    m.internal(), m.arguments());
            Declared declared;
            try {
                declared = topology().declareExchange(wanted);
            } catch (UnknownExchangeTypeException e) {
                throw new AmqpException(ReplyCode.COMMAND_INVALID, "unknown exchange type '" + m.type() + "'",
                        m.classId(), m.methodId());
            }
            existing = declared.exchange();
            if (declared.created()) {
                channel.vhost().listener().exchangeDeclared(channel.vhost(), existing);
                checkEquivalent(existing, m);
                channel.replyTopology(existing.durable(), m.noWait() ? null : new ExchangeMethod.DeclareOk());
                return;
            }
        }
        checkEquivalent(existing, m);
        replyDeclareOk(m.noWait());
    }

    private void replyDeclareOk(boolean noWait) {
        if (!noWait) {
            channel.send(new ExchangeMethod.DeclareOk());
        }
    }

    private void checkEquivalent(Exchange x, ExchangeMethod.Declare m) {
        String vhost = channel.vhost().name();
        inequivalent(x.name(), vhost, "type", m.type(), x.type(), m);
        inequivalent(x.name(), vhost, "durable", m.durable(), x.durable(), m);
        inequivalent(x.name(), vhost, "auto_delete", m.autoDelete(), x.autoDelete(), m);
        inequivalent(x.name(), vhost, "internal", m.internal(), x.internal(), m);
        Object wantedAe = m.arguments() == null ? null : m.arguments().get(ALTERNATE_EXCHANGE);
        Object currentAe = x.arguments().get(ALTERNATE_EXCHANGE);
        if (!io.warren.broker.queue.QueueArguments.equivalent(wantedAe, currentAe)) {
            throw Errors.inequivalentArg(ALTERNATE_EXCHANGE, "exchange '" + x.name() + "' in vhost '" + vhost + "'",
                    wantedAe, currentAe, m);
        }
    }

    private static void inequivalent(String name, String vhost, String field, Object wanted, Object current,
                                     AmqpMethod m) {
        if (!wanted.equals(current)) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "inequivalent arg '" + field + "' for exchange '"
                    + name + "' in vhost '" + vhost + "': received '" + wanted + "' but current is '" + current + "'",
                    m.classId(), m.methodId());
        }
    }

    void delete(ExchangeMethod.Delete m) {
        String name = Names.stripCrLf(m.exchange());
        checkNotDefault(name, m);
        // Any amq.* name, even one that does not exist, as RabbitMQ does.
        if (name.startsWith("amq.")) {
            throw new AmqpException(ReplyCode.ACCESS_REFUSED, "deletion of system exchange '" + name
                    + "' in vhost '" + channel.vhost().name() + "' not allowed", m.classId(), m.methodId());
        }
        channel.access().configure("exchange", name, m);
        java.util.List<String> cascade = new java.util.ArrayList<>();
        Exchange before = topology().exchange(name);
        DeleteResult result = topology().deleteExchange(name, m.ifUnused(), cascade::add);
        if (result == DeleteResult.IN_USE) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "exchange '" + name + "' in vhost '"
                    + channel.vhost().name() + "' in use", m.classId(), m.methodId());
        }
        if (result == DeleteResult.DELETED) {
            channel.vhost().listener().exchangeDeleted(channel.vhost(), name);
        }
        for (String x : cascade) {
            channel.vhost().listener().exchangeDeleted(channel.vhost(), x);
        }
        boolean durable = result == DeleteResult.DELETED && before != null && before.durable();
        channel.replyTopology(durable || !cascade.isEmpty(), m.noWait() ? null : new ExchangeMethod.DeleteOk());
    }

    void bind(ExchangeMethod.Bind m) {
        Binding binding = new Binding(Names.stripCrLf(m.source()), DestinationKind.EXCHANGE,
                Names.stripCrLf(m.destination()), m.routingKey(), m.arguments() == null ? Map.of() : m.arguments());
        checkBindable(binding, m);
        BindResult result = Errors.bind(channel.vhost().topology(), binding, m);
        switch (result) {
            case SOURCE_NOT_FOUND -> throw Errors.noExchange(binding.source(), channel.vhost().name(), m);
            case DESTINATION_NOT_FOUND -> throw Errors.noExchange(binding.destination(), channel.vhost().name(), m);
            case CREATED -> channel.vhost().listener().bindingAdded(channel.vhost(), binding);
            default -> { }
        }
        boolean durable = result == BindResult.CREATED && Persistence.isDurable(channel.vhost(), binding);
        channel.replyTopology(durable, m.noWait() ? null : new ExchangeMethod.BindOk());
    }

    void unbind(ExchangeMethod.Unbind m) {
        Binding binding = new Binding(Names.stripCrLf(m.source()), DestinationKind.EXCHANGE,
                Names.stripCrLf(m.destination()), m.routingKey(), m.arguments() == null ? Map.of() : m.arguments());
        checkBindable(binding, m);
        java.util.List<String> cascade = new java.util.ArrayList<>();
        UnbindResult result = topology().unbind(binding, cascade::add);
        switch (result) {
            // RabbitMQ 3.10 answers unbind-ok when the exchange or queue does not exist.
            case REMOVED -> channel.vhost().listener().bindingRemoved(channel.vhost(), binding);
            default -> { }
        }
        for (String x : cascade) {
            channel.vhost().listener().exchangeDeleted(channel.vhost(), x);
        }
        boolean durable = result == UnbindResult.REMOVED && Persistence.isDurable(channel.vhost(), binding);
        channel.replyTopology(durable || !cascade.isEmpty(), m.noWait() ? null : new ExchangeMethod.UnbindOk());
    }

    /** RabbitMQ's binding_action order: write on the destination, not the default exchange, read on the source. */
    private void checkBindable(Binding b, AmqpMethod m) {
        channel.access().write("exchange", b.destination(), m);
        checkNotDefault(b.destination(), m);
        checkNotDefault(b.source(), m);
        channel.access().read("exchange", b.source(), m);
        checkTopicRead(channel, b, m);
    }

    /** A binding from an existing topic exchange: the user's topic read permission on its key. */
    static void checkTopicRead(AmqpChannel channel, Binding b, AmqpMethod m) {
        Exchange source = channel.vhost().topology().exchange(b.source());
        if (source != null) {
            channel.access().topicRead(source.name(), source.type(), b.routingKey(), m);
        }
    }

    /**
     * RabbitMQ: 403 "operation not permitted on the default exchange". Only the empty name: in
     * AMQP 0-9-1 "amq.default" is no alias, just a reserved name no exchange has (404 when used).
     */
    static void checkNotDefault(String name, AmqpMethod m) {
        if (name.isEmpty()) {
            throw new AmqpException(ReplyCode.ACCESS_REFUSED, "operation not permitted on the default exchange",
                    m.classId(), m.methodId());
        }
    }
}
