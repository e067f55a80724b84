package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import static io.warren.amqp.AmqpCodecUtil.nonNull;
import static io.warren.amqp.AmqpCodecUtil.readShortstr;
import static io.warren.amqp.AmqpCodecUtil.writeShortstr;

/**
 * The {@code access} class (30): access tickets, obsolete since 0-9-1 but still sent by old
 * clients, so still decoded.
 */
public sealed interface AccessMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 30;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code access.request} (30, 10). */
    record Request(
            String realm,
            boolean exclusive,
            boolean passive,
            boolean active,
            boolean write,
            boolean read)
            implements AccessMethod {
        public Request {
            realm = nonNull(realm);
        }

        @Override public int methodId() { return 10; }
        @Override public String name() { return "access.request"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, realm);
            out.writeByte((exclusive ? 1 : 0)
                    | (passive ? 2 : 0)
                    | (active ? 4 : 0)
                    | (write ? 8 : 0)
                    | (read ? 16 : 0));
        }

        static Request read(ByteBuf in) {
            String realm = readShortstr(in);
            int bits = in.readUnsignedByte();
            return new Request(realm, (bits & 1) != 0, (bits & 2) != 0,
                    (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0);
        }
    }

    /** {@code access.request-ok} (30, 11). */
    record RequestOk(int ticket) implements AccessMethod {
        @Override public int methodId() { return 11; }
        @Override public String name() { return "access.request-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(ticket);
        }

        static RequestOk read(ByteBuf in) {
            int ticket = in.readUnsignedShort();
            return new RequestOk(ticket);
        }
    }
}
