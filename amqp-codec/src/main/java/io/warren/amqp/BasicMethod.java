package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.util.Map;

import static io.warren.amqp.AmqpCodecUtil.nonNull;
import static io.warren.amqp.AmqpCodecUtil.readShortstr;
import static io.warren.amqp.AmqpCodecUtil.readShortstrAgain;
import static io.warren.amqp.AmqpCodecUtil.recentPublishNames;
import static io.warren.amqp.AmqpCodecUtil.writeShortstr;

/**
 * The {@code basic} class (60): publishing and consuming, with RabbitMQ's {@code basic.nack}.
 */
public sealed interface BasicMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 60;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code basic.qos} (60, 10). */
    record Qos(int prefetchSize, int prefetchCount, boolean global) implements BasicMethod {
        @Override public int methodId() { return 10; }
        @Override public String name() { return "basic.qos"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeInt(prefetchSize);
            out.writeShort(prefetchCount);
            out.writeByte(global ? 1 : 0);
        }

        static Qos read(ByteBuf in) {
            int prefetchSize = in.readInt();
            int prefetchCount = in.readUnsignedShort();
            int bits = in.readUnsignedByte();
            return new Qos(prefetchSize, prefetchCount, (bits & 1) != 0);
        }
    }

    /** {@code basic.qos-ok} (60, 11). */
    record QosOk() implements BasicMethod {
        @Override public int methodId() { return 11; }
        @Override public String name() { return "basic.qos-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static QosOk read(ByteBuf in) {
            return new QosOk();
        }
    }

    /** {@code basic.consume} (60, 20). */
    record Consume(
            int reserved1,
            String queue,
            String consumerTag,
            boolean noLocal,
            boolean noAck,
            boolean exclusive,
            boolean noWait,
            Map<String, Object> arguments)
            implements BasicMethod {
        public Consume {
            queue = nonNull(queue);
            consumerTag = nonNull(consumerTag);
            arguments = nonNull(arguments);
        }

        /** With the reserved fields at their defaults. */
        public Consume(
                String queue,
                String consumerTag,
                boolean noLocal,
                boolean noAck,
                boolean exclusive,
                boolean noWait,
                Map<String, Object> arguments) {
            this(0, queue, consumerTag, noLocal, noAck, exclusive, noWait, arguments);
        }

        @Override public int methodId() { return 20; }
        @Override public String name() { return "basic.consume"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, queue);
            writeShortstr(out, consumerTag);
            out.writeByte((noLocal ? 1 : 0)
                    | (noAck ? 2 : 0)
                    | (exclusive ? 4 : 0)
                    | (noWait ? 8 : 0));
            FieldTables.writeTable(out, arguments);
        }

        static Consume read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String queue = readShortstr(in);
            String consumerTag = readShortstr(in);
            int bits = in.readUnsignedByte();
            Map<String, Object> arguments = FieldTables.readTable(in, 0);
            return new Consume(reserved1, queue, consumerTag, (bits & 1) != 0,
                    (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0, arguments);
        }
    }

    /** {@code basic.consume-ok} (60, 21). */
    record ConsumeOk(String consumerTag) implements BasicMethod {
        public ConsumeOk {
            consumerTag = nonNull(consumerTag);
        }

        @Override public int methodId() { return 21; }
        @Override public String name() { return "basic.consume-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, consumerTag);
        }

        static ConsumeOk read(ByteBuf in) {
            String consumerTag = readShortstr(in);
            return new ConsumeOk(consumerTag);
        }
    }

    /** {@code basic.cancel} (60, 30). */
    record Cancel(String consumerTag, boolean noWait) implements BasicMethod {
        public Cancel {
            consumerTag = nonNull(consumerTag);
        }

        @Override public int methodId() { return 30; }
        @Override public String name() { return "basic.cancel"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, consumerTag);
            out.writeByte(noWait ? 1 : 0);
        }

        static Cancel read(ByteBuf in) {
            String consumerTag = readShortstr(in);
            int bits = in.readUnsignedByte();
            return new Cancel(consumerTag, (bits & 1) != 0);
        }
    }

    /** {@code basic.cancel-ok} (60, 31). */
    record CancelOk(String consumerTag) implements BasicMethod {
        public CancelOk {
            consumerTag = nonNull(consumerTag);
        }

        @Override public int methodId() { return 31; }
        @Override public String name() { return "basic.cancel-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, consumerTag);
        }

        static CancelOk read(ByteBuf in) {
            String consumerTag = readShortstr(in);
            return new CancelOk(consumerTag);
        }
    }

    /** {@code basic.publish} (60, 40), followed by content. */
    record Publish(
            int reserved1,
            String exchange,
            String routingKey,
            boolean mandatory,
            boolean immediate)
            implements BasicMethod {
        public Publish {
            exchange = nonNull(exchange);
            routingKey = nonNull(routingKey);
        }

        /** With the reserved fields at their defaults. */
        public Publish(String exchange, String routingKey, boolean mandatory, boolean immediate) {
            this(0, exchange, routingKey, mandatory, immediate);
        }

        @Override public int methodId() { return 40; }
        @Override public String name() { return "basic.publish"; }
        @Override public boolean hasContent() { return true; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, exchange);
            writeShortstr(out, routingKey);
            out.writeByte((mandatory ? 1 : 0)
                    | (immediate ? 2 : 0));
        }

        static Publish read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String[] recent = recentPublishNames();
            String exchange = readShortstrAgain(in, recent, 0);
            String routingKey = readShortstrAgain(in, recent, 1);
            int bits = in.readUnsignedByte();
            return new Publish(reserved1, exchange, routingKey, (bits & 1) != 0, (bits & 2) != 0);
        }
    }

    /** {@code basic.return} (60, 50), followed by content. */
    record Return(
            int replyCode,
            String replyText,
            String exchange,
            String routingKey)
            implements BasicMethod {
        public Return {
            replyText = nonNull(replyText);
            exchange = nonNull(exchange);
            routingKey = nonNull(routingKey);
        }

        @Override public int methodId() { return 50; }
        @Override public String name() { return "basic.return"; }
        @Override public boolean hasContent() { return true; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(replyCode);
            writeShortstr(out, replyText);
            writeShortstr(out, exchange);
            writeShortstr(out, routingKey);
        }

        static Return read(ByteBuf in) {
            int replyCode = in.readUnsignedShort();
            String replyText = readShortstr(in);
            String exchange = readShortstr(in);
            String routingKey = readShortstr(in);
            return new Return(replyCode, replyText, exchange, routingKey);
        }
    }

    /** {@code basic.deliver} (60, 60), followed by content. */
    record Deliver(
            String consumerTag,
            long deliveryTag,
            boolean redelivered,
            String exchange,
            String routingKey)
            implements BasicMethod {
        public Deliver {
            consumerTag = nonNull(consumerTag);
            exchange = nonNull(exchange);
            routingKey = nonNull(routingKey);
        }

        @Override public int methodId() { return 60; }
        @Override public String name() { return "basic.deliver"; }
        @Override public boolean hasContent() { return true; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, consumerTag);
            out.writeLong(deliveryTag);
            out.writeByte(redelivered ? 1 : 0);
            writeShortstr(out, exchange);
            writeShortstr(out, routingKey);
        }

        static Deliver read(ByteBuf in) {
            String consumerTag = readShortstr(in);
            long deliveryTag = in.readLong();
            int bits = in.readUnsignedByte();
            String exchange = readShortstr(in);
            String routingKey = readShortstr(in);
            return new Deliver(consumerTag, deliveryTag, (bits & 1) != 0, exchange, routingKey);
        }
    }

    /** {@code basic.get} (60, 70). */
    record Get(int reserved1, String queue, boolean noAck) implements BasicMethod {
        public Get {
            queue = nonNull(queue);
        }

        /** With the reserved fields at their defaults. */
        public Get(String queue, boolean noAck) {
            this(0, queue, noAck);
        }

        @Override public int methodId() { return 70; }
        @Override public String name() { return "basic.get"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(reserved1);
            writeShortstr(out, queue);
            out.writeByte(noAck ? 1 : 0);
        }

        static Get read(ByteBuf in) {
            int reserved1 = in.readUnsignedShort();
            String queue = readShortstr(in);
            int bits = in.readUnsignedByte();
            return new Get(reserved1, queue, (bits & 1) != 0);
        }
    }

    /** {@code basic.get-ok} (60, 71), followed by content. */
    record GetOk(
            long deliveryTag,
            boolean redelivered,
            String exchange,
            String routingKey,
            int messageCount)
            implements BasicMethod {
        public GetOk {
            exchange = nonNull(exchange);
            routingKey = nonNull(routingKey);
        }

        @Override public int methodId() { return 71; }
        @Override public String name() { return "basic.get-ok"; }
        @Override public boolean hasContent() { return true; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeLong(deliveryTag);
            out.writeByte(redelivered ? 1 : 0);
            writeShortstr(out, exchange);
            writeShortstr(out, routingKey);
            out.writeInt(messageCount);
        }

        static GetOk read(ByteBuf in) {
            long deliveryTag = in.readLong();
            int bits = in.readUnsignedByte();
            String exchange = readShortstr(in);
            String routingKey = readShortstr(in);
            int messageCount = in.readInt();
            return new GetOk(deliveryTag, (bits & 1) != 0, exchange, routingKey, messageCount);
        }
    }

    /** {@code basic.get-empty} (60, 72). */
    record GetEmpty(String reserved1) implements BasicMethod {
        public GetEmpty {
            reserved1 = nonNull(reserved1);
        }

        /** With the reserved fields at their defaults. */
        public GetEmpty() {
            this("");
        }

        @Override public int methodId() { return 72; }
        @Override public String name() { return "basic.get-empty"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, reserved1);
        }

        static GetEmpty read(ByteBuf in) {
            String reserved1 = readShortstr(in);
            return new GetEmpty(reserved1);
        }
    }

    /** {@code basic.ack} (60, 80). */
    record Ack(long deliveryTag, boolean multiple) implements BasicMethod {
        @Override public int methodId() { return 80; }
        @Override public String name() { return "basic.ack"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeLong(deliveryTag);
            out.writeByte(multiple ? 1 : 0);
        }

        static Ack read(ByteBuf in) {
            long deliveryTag = in.readLong();
            int bits = in.readUnsignedByte();
            return new Ack(deliveryTag, (bits & 1) != 0);
        }
    }

    /** {@code basic.reject} (60, 90). */
    record Reject(long deliveryTag, boolean requeue) implements BasicMethod {
        @Override public int methodId() { return 90; }
        @Override public String name() { return "basic.reject"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeLong(deliveryTag);
            out.writeByte(requeue ? 1 : 0);
        }

        static Reject read(ByteBuf in) {
            long deliveryTag = in.readLong();
            int bits = in.readUnsignedByte();
            return new Reject(deliveryTag, (bits & 1) != 0);
        }
    }

    /** {@code basic.recover-async} (60, 100). */
    record RecoverAsync(boolean requeue) implements BasicMethod {
        @Override public int methodId() { return 100; }
        @Override public String name() { return "basic.recover-async"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeByte(requeue ? 1 : 0);
        }

        static RecoverAsync read(ByteBuf in) {
            int bits = in.readUnsignedByte();
            return new RecoverAsync((bits & 1) != 0);
        }
    }

    /** {@code basic.recover} (60, 110). */
    record Recover(boolean requeue) implements BasicMethod {
        @Override public int methodId() { return 110; }
        @Override public String name() { return "basic.recover"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeByte(requeue ? 1 : 0);
        }

        static Recover read(ByteBuf in) {
            int bits = in.readUnsignedByte();
            return new Recover((bits & 1) != 0);
        }
    }

    /** {@code basic.recover-ok} (60, 111). */
    record RecoverOk() implements BasicMethod {
        @Override public int methodId() { return 111; }
        @Override public String name() { return "basic.recover-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static RecoverOk read(ByteBuf in) {
            return new RecoverOk();
        }
    }

    /** {@code basic.nack} (60, 120). */
    record Nack(long deliveryTag, boolean multiple, boolean requeue) implements BasicMethod {
        @Override public int methodId() { return 120; }
        @Override public String name() { return "basic.nack"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeLong(deliveryTag);
            out.writeByte((multiple ? 1 : 0)
                    | (requeue ? 2 : 0));
        }

        static Nack read(ByteBuf in) {
            long deliveryTag = in.readLong();
            int bits = in.readUnsignedByte();
            return new Nack(deliveryTag, (bits & 1) != 0, (bits & 2) != 0);
        }
    }
}
