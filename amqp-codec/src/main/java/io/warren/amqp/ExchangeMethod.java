package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.util.Map;

import static io.warren.amqp.AmqpCodecUtil.nonNull;
import static io.warren.amqp.AmqpCodecUtil.readShortstr;
import static io.warren.amqp.AmqpCodecUtil.writeShortstr;

/**
 * The {@code exchange} class (40): exchanges, with RabbitMQ's exchange-to-exchange bindings.
 */
public sealed interface ExchangeMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 40;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code exchange.declare} (40, 10). */
    record Declare(
            int reserved1,
            String exchange,
            String type,
            boolean passive,
            boolean durable,
            boolean autoDelete,
            boolean internal,
            boolean noWait,
            Map<String, Object> arguments)
            implements ExchangeMethod {
        public Declare {
            exchange = nonNull(exchange);
            type = nonNull(type);
            arguments = nonNull(arguments);
        }

        /** With the reserved fields at their defaults. */
        public Declare(
                String exchange,
                String type,
                boolean passive,
                boolean durable,
                boolean autoDelete,
                boolean internal,
                boolean noWait,
                Map<String, Object> arguments) {
            this(0, exchange, type, passive, durable, autoDelete, internal, noWait, arguments);
        }

        @Override public int methodId() { return 10; }
        @Override public String name() { return "exchange.declare"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, exchange);
            writeShortstr(out, type);
            out.writeByte((passive ? 1 : 0)
                    | (durable ? 2 : 0)
                    | (autoDelete ? 4 : 0)
                    | (internal ? 8 : 0)
                    | (noWait ? 16 : 0));
            FieldTables.writeTable(out, arguments);
        }

        static Declare read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String exchange = readShortstr(in);
            String type = readShortstr(in);
            int bits = in.readUnsignedByte();
            Map<String, Object> arguments = FieldTables.readTable(in, 0);
            return new Declare(reserved1, exchange, type, (bits & 1) != 0,
                    (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, arguments);
        }
    }

    /** {@code exchange.declare-ok} (40, 11). */
    record DeclareOk() implements ExchangeMethod {
        @Override public int methodId() { return 11; }
        @Override public String name() { return "exchange.declare-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static DeclareOk read(ByteBuf in) {
            return new DeclareOk();
        }
    }

    /** {@code exchange.delete} (40, 20). */
    record Delete(
            int reserved1,
            String exchange,
            boolean ifUnused,
            boolean noWait)
            implements ExchangeMethod {
        public Delete {
            exchange = nonNull(exchange);
        }

        /** With the reserved fields at their defaults. */
        public Delete(String exchange, boolean ifUnused, boolean noWait) {
            this(0, exchange, ifUnused, noWait);
        }

        @Override public int methodId() { return 20; }
        @Override public String name() { return "exchange.delete"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, exchange);
            out.writeByte((ifUnused ? 1 : 0)
                    | (noWait ? 2 : 0));
        }

        static Delete read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String exchange = readShortstr(in);
            int bits = in.readUnsignedByte();
            return new Delete(reserved1, exchange, (bits & 1) != 0, (bits & 2) != 0);
        }
    }

    /** {@code exchange.delete-ok} (40, 21). */
    record DeleteOk() implements ExchangeMethod {
        @Override public int methodId() { return 21; }
        @Override public String name() { return "exchange.delete-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static DeleteOk read(ByteBuf in) {
            return new DeleteOk();
        }
    }

    /** {@code exchange.bind} (40, 30). */
    record Bind(
            int reserved1,
            String destination,
            String source,
            String routingKey,
            boolean noWait,
            Map<String, Object> arguments)
            implements ExchangeMethod {
        public Bind {
            destination = nonNull(destination);
            source = nonNull(source);
            routingKey = nonNull(routingKey);
            arguments = nonNull(arguments);
        }

        /** With the reserved fields at their defaults. */
        public Bind(
                String destination,
                String source,
                String routingKey,
                boolean noWait,
                Map<String, Object> arguments) {
            this(0, destination, source, routingKey, noWait, arguments);
        }

        @Override public int methodId() { return 30; }
        @Override public String name() { return "exchange.bind"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, destination);
            writeShortstr(out, source);
            writeShortstr(out, routingKey);
            out.writeByte(noWait ? 1 : 0);
            FieldTables.writeTable(out, arguments);
        }

        static Bind read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String destination = readShortstr(in);
            String source = readShortstr(in);
            String routingKey = readShortstr(in);
            int bits = in.readUnsignedByte();
            Map<String, Object> arguments = FieldTables.readTable(in, 0);
            return new Bind(reserved1, destination, source, routingKey, (bits & 1) != 0, arguments);
        }
    }

    /** {@code exchange.bind-ok} (40, 31). */
    record BindOk() implements ExchangeMethod {
        @Override public int methodId() { return 31; }
        @Override public String name() { return "exchange.bind-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static BindOk read(ByteBuf in) {
            return new BindOk();
        }
    }

    /** {@code exchange.unbind} (40, 40). */
    record Unbind(
            int reserved1,
            String destination,
            String source,
            String routingKey,
            boolean noWait,
            Map<String, Object> arguments)
            implements ExchangeMethod {
        public Unbind {
            destination = nonNull(destination);
            source = nonNull(source);
            routingKey = nonNull(routingKey);
            arguments = nonNull(arguments);
        }

        /** With the reserved fields at their defaults. */
        public Unbind(
                String destination,
                String source,
                String routingKey,
                boolean noWait,
                Map<String, Object> arguments) {
            this(0, destination, source, routingKey, noWait, arguments);
        }

        @Override public int methodId() { return 40; }
        @Override public String name() { return "exchange.unbind"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, destination);
            writeShortstr(out, source);
            writeShortstr(out, routingKey);
            out.writeByte(noWait ? 1 : 0);
            FieldTables.writeTable(out, arguments);
        }

        static Unbind read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String destination = readShortstr(in);
            String source = readShortstr(in);
            String routingKey = readShortstr(in);
            int bits = in.readUnsignedByte();
            Map<String, Object> arguments = FieldTables.readTable(in, 0);
            return new Unbind(
                    reserved1, destination, source, routingKey, (bits & 1) != 0, arguments);
        }
    }

    /** {@code exchange.unbind-ok} (40, 51). */
    record UnbindOk() implements ExchangeMethod {
        @Override public int methodId() { return 51; }
        @Override public String name() { return "exchange.unbind-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static UnbindOk read(ByteBuf in) {
            return new UnbindOk();
        }
    }
}
