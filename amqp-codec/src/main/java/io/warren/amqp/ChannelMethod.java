package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import static io.warren.amqp.AmqpCodecUtil.nonNull;
import static io.warren.amqp.AmqpCodecUtil.readLongstr;
import static io.warren.amqp.AmqpCodecUtil.readShortstr;
import static io.warren.amqp.AmqpCodecUtil.writeLongstr;
import static io.warren.amqp.AmqpCodecUtil.writeShortstr;

/**
 * The {@code channel} class (20): opening, flow control and closing.
 */
public sealed interface ChannelMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 20;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code channel.open} (20, 10). */
    record Open(String reserved1) implements ChannelMethod {
        public Open {
            reserved1 = nonNull(reserved1);
        }

        /** With the reserved fields at their defaults. */
        public Open() {
            this("");
        }

        @Override public int methodId() { return 10; }
        @Override public String name() { return "channel.open"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, reserved1);
        }

        static Open read(ByteBuf in) {
            String reserved1 = readShortstr(in);
            return new Open(reserved1);
        }
    }

    /** {@code channel.open-ok} (20, 11). */
    record OpenOk(LongString reserved1) implements ChannelMethod {
        public OpenOk {
            reserved1 = nonNull(reserved1);
        }

        /** With the reserved fields at their defaults. */
        public OpenOk() {
            this(LongString.EMPTY);
        }

        @Override public int methodId() { return 11; }
        @Override public String name() { return "channel.open-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeLongstr(out, reserved1);
        }

        static OpenOk read(ByteBuf in) {
            LongString reserved1 = readLongstr(in);
            return new OpenOk(reserved1);
        }
    }

    /** {@code channel.flow} (20, 20). */
    record Flow(boolean active) implements ChannelMethod {
        @Override public int methodId() { return 20; }
        @Override public String name() { return "channel.flow"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeByte(active ? 1 : 0);
        }

        static Flow read(ByteBuf in) {
            int bits = in.readUnsignedByte();
            return new Flow((bits & 1) != 0);
        }
    }

    /** {@code channel.flow-ok} (20, 21). */
    record FlowOk(boolean active) implements ChannelMethod {
        @Override public int methodId() { return 21; }
        @Override public String name() { return "channel.flow-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeByte(active ? 1 : 0);
        }

        static FlowOk read(ByteBuf in) {
            int bits = in.readUnsignedByte();
            return new FlowOk((bits & 1) != 0);
        }
    }

    /** {@code channel.close} (20, 40). */
    record Close(
            int replyCode,
            String replyText,
            int failingClassId,
            int failingMethodId)
            implements ChannelMethod {
        public Close {
            replyText = nonNull(replyText);
        }

        @Override public int methodId() { return 40; }
        @Override public String name() { return "channel.close"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(replyCode);
            writeShortstr(out, replyText);
            out.writeShort(failingClassId);
            out.writeShort(failingMethodId);
        }

        static Close read(ByteBuf in) {
            int replyCode = in.readUnsignedShort();
            String replyText = readShortstr(in);
            int failingClassId = in.readUnsignedShort();
            int failingMethodId = in.readUnsignedShort();
            return new Close(replyCode, replyText, failingClassId, failingMethodId);
        }
    }

    /** {@code channel.close-ok} (20, 41). */
    record CloseOk() implements ChannelMethod {
        @Override public int methodId() { return 41; }
        @Override public String name() { return "channel.close-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static CloseOk read(ByteBuf in) {
            return new CloseOk();
        }
    }
}
