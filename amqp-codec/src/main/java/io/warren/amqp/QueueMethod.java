package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.util.Map;

import static io.warren.amqp.AmqpCodecUtil.nonNull;
import static io.warren.amqp.AmqpCodecUtil.readShortstr;
import static io.warren.amqp.AmqpCodecUtil.writeShortstr;

/**
 * The {@code queue} class (50): queues.
 */
public sealed interface QueueMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 50;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code queue.declare} (50, 10). */
    record Declare(
            int reserved1,
            String queue,
            boolean passive,
            boolean durable,
            boolean exclusive,
            boolean autoDelete,
            boolean noWait,
            Map<String, Object> arguments)
            implements QueueMethod {
        public Declare {
            queue = nonNull(queue);
            arguments = nonNull(arguments);
        }

        /** With the reserved fields at their defaults. */
        public Declare(
                String queue,
                boolean passive,
                boolean durable,
                boolean exclusive,
                boolean autoDelete,
                boolean noWait,
                Map<String, Object> arguments) {
            this(0, queue, passive, durable, exclusive, autoDelete, noWait, arguments);
        }

        @Override public int methodId() { return 10; }
        @Override public String name() { return "queue.declare"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, queue);
            out.writeByte((passive ? 1 : 0)
                    | (durable ? 2 : 0)
                    | (exclusive ? 4 : 0)
                    | (autoDelete ? 8 : 0)
                    | (noWait ? 16 : 0));
            FieldTables.writeTable(out, arguments);
        }

        static Declare read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String queue = readShortstr(in);
            int bits = in.readUnsignedByte();
            Map<String, Object> arguments = FieldTables.readTable(in, 0);
            return new Declare(reserved1, queue, (bits & 1) != 0, (bits & 2) != 0,
                    (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, arguments);
        }
    }

    /** {@code queue.declare-ok} (50, 11). */
    record DeclareOk(String queue, int messageCount, int consumerCount) implements QueueMethod {
        public DeclareOk {
            queue = nonNull(queue);
        }

        @Override public int methodId() { return 11; }
        @Override public String name() { return "queue.declare-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, queue);
            out.writeInt(messageCount);
            out.writeInt(consumerCount);
        }

        static DeclareOk read(ByteBuf in) {
            String queue = readShortstr(in);
            int messageCount = in.readInt();
            int consumerCount = in.readInt();
            return new DeclareOk(queue, messageCount, consumerCount);
        }
    }

    /** {@code queue.bind} (50, 20). */
    record Bind(
            int reserved1,
            String queue,
            String exchange,
            String routingKey,
            boolean noWait,
            Map<String, Object> arguments)
            implements QueueMethod {
        public Bind {
            queue = nonNull(queue);
            exchange = nonNull(exchange);
            routingKey = nonNull(routingKey);
            arguments = nonNull(arguments);
        }

        /** With the reserved fields at their defaults. */
        public Bind(
                String queue,
                String exchange,
                String routingKey,
                boolean noWait,
                Map<String, Object> arguments) {
            this(0, queue, exchange, routingKey, noWait, arguments);
        }

        @Override public int methodId() { return 20; }
        @Override public String name() { return "queue.bind"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, queue);
            writeShortstr(out, exchange);
            writeShortstr(out, routingKey);
            out.writeByte(noWait ? 1 : 0);
            FieldTables.writeTable(out, arguments);
        }

        static Bind read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String queue = readShortstr(in);
            String exchange = readShortstr(in);
            String routingKey = readShortstr(in);
            int bits = in.readUnsignedByte();
            Map<String, Object> arguments = FieldTables.readTable(in, 0);
            return new Bind(reserved1, queue, exchange, routingKey, (bits & 1) != 0, arguments);
        }
    }

    /** {@code queue.bind-ok} (50, 21). */
    record BindOk() implements QueueMethod {
        @Override public int methodId() { return 21; }
        @Override public String name() { return "queue.bind-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static BindOk read(ByteBuf in) {
            return new BindOk();
        }
    }

    /** {@code queue.purge} (50, 30). */
    record Purge(int reserved1, String queue, boolean noWait) implements QueueMethod {
        public Purge {
            queue = nonNull(queue);
        }

        /** With the reserved fields at their defaults. */
        public Purge(String queue, boolean noWait) {
            this(0, queue, noWait);
        }

        @Override public int methodId() { return 30; }
        @Override public String name() { return "queue.purge"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, queue);
            out.writeByte(noWait ? 1 : 0);
        }

        static Purge read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String queue = readShortstr(in);
            int bits = in.readUnsignedByte();
            return new Purge(reserved1, queue, (bits & 1) != 0);
        }
    }

    /** {@code queue.purge-ok} (50, 31). */
    record PurgeOk(int messageCount) implements QueueMethod {
        @Override public int methodId() { return 31; }
        @Override public String name() { return "queue.purge-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeInt(messageCount);
        }

        static PurgeOk read(ByteBuf in) {
            int messageCount = in.readInt();
            return new PurgeOk(messageCount);
        }
    }

    /** {@code queue.delete} (50, 40). */
    record Delete(
            int reserved1,
            String queue,
            boolean ifUnused,
            boolean ifEmpty,
            boolean noWait)
            implements QueueMethod {
        public Delete {
            queue = nonNull(queue);
        }

        /** With the reserved fields at their defaults. */
        public Delete(String queue, boolean ifUnused, boolean ifEmpty, boolean noWait) {
            this(0, queue, ifUnused, ifEmpty, noWait);
        }

        @Override public int methodId() { return 40; }
        @Override public String name() { return "queue.delete"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, queue);
            out.writeByte((ifUnused ? 1 : 0)
                    | (ifEmpty ? 2 : 0)
                    | (noWait ? 4 : 0));
        }

        static Delete read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String queue = readShortstr(in);
            int bits = in.readUnsignedByte();
            return new Delete(reserved1, queue, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0);
        }
    }

    /** {@code queue.delete-ok} (50, 41). */
    record DeleteOk(int messageCount) implements QueueMethod {
        @Override public int methodId() { return 41; }
        @Override public String name() { return "queue.delete-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeInt(messageCount);
        }

        static DeleteOk read(ByteBuf in) {
            int messageCount = in.readInt();
            return new DeleteOk(messageCount);
        }
    }

    /** {@code queue.unbind} (50, 50). */
    record Unbind(
            int reserved1,
            String queue,
            String exchange,
            String routingKey,
            Map<String, Object> arguments)
            implements QueueMethod {
        public Unbind {
            queue = nonNull(queue);
            exchange = nonNull(exchange);
            routingKey = nonNull(routingKey);
            arguments = nonNull(arguments);
        }

        /** With the reserved fields at their defaults. */
        public Unbind(
                String queue,
                String exchange,
                String routingKey,
                Map<String, Object> arguments) {
            this(0, queue, exchange, routingKey, arguments);
        }

        @Override public int methodId() { return 50; }
        @Override public String name() { return "queue.unbind"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, queue);
            writeShortstr(out, exchange);
            writeShortstr(out, routingKey);
            FieldTables.writeTable(out, arguments);
        }

        static Unbind read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String queue = readShortstr(in);
            String exchange = readShortstr(in);
            String routingKey = readShortstr(in);
            Map<String, Object> arguments = FieldTables.readTable(in, 0);
            return new Unbind(reserved1, queue, exchange, routingKey, arguments);
        }
    }

    /** {@code queue.unbind-ok} (50, 51). */
    record UnbindOk() implements QueueMethod {
        @Override public int methodId() { return 51; }
        @Override public String name() { return "queue.unbind-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static UnbindOk read(ByteBuf in) {
            return new UnbindOk();
        }
    }
}
