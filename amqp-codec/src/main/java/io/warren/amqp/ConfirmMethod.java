package io.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * The {@code confirm} class (85): RabbitMQ's publisher confirms.
 */
public sealed interface ConfirmMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 85;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code confirm.select} (85, 10). */
    record Select(boolean noWait) implements ConfirmMethod {
        @Override public int methodId() { return 10; }
        @Override public String name() { return "confirm.select"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeByte(noWait ? 1 : 0);
        }

        static Select read(ByteBuf in) {
            int bits = in.readUnsignedByte();
            return new Select((bits & 1) != 0);
        }
    }

    /** {@code confirm.select-ok} (85, 11). */
    record SelectOk() implements ConfirmMethod {
        @Override public int methodId() { return 11; }
        @Override public String name() { return "confirm.select-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static SelectOk read(ByteBuf in) {
            return new SelectOk();
        }
    }
}
