package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.util.Map;

import static io.warren.amqp.AmqpCodecUtil.nonNull;
import static io.warren.amqp.AmqpCodecUtil.readLongstr;
import static io.warren.amqp.AmqpCodecUtil.readShortstr;
import static io.warren.amqp.AmqpCodecUtil.writeLongstr;
import static io.warren.amqp.AmqpCodecUtil.writeShortstr;

/**
 * The {@code connection} class (10): negotiation, tuning, opening and closing, plus RabbitMQ's
 * blocked/unblocked notifications and secret update.
 */
public sealed interface ConnectionMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 10;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code connection.start} (10, 10). */
    record Start(
            int versionMajor,
            int versionMinor,
            Map<String, Object> serverProperties,
            LongString mechanisms,
            LongString locales)
            implements ConnectionMethod {
        public Start {
            serverProperties = nonNull(serverProperties);
            mechanisms = nonNull(mechanisms);
            locales = nonNull(locales);
        }

        @Override public int methodId() { return 10; }
        @Override public String name() { return "connection.start"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeByte(versionMajor);
            out.writeByte(versionMinor);
            FieldTables.writeTable(out, serverProperties);
            writeLongstr(out, mechanisms);
            writeLongstr(out, locales);
        }

        static Start read(ByteBuf in) {
            int versionMajor = in.readUnsignedByte();
            int versionMinor = in.readUnsignedByte();
            Map<String, Object> serverProperties = FieldTables.readTable(in, 0);
            LongString mechanisms = readLongstr(in);
            LongString locales = readLongstr(in);
            return new Start(versionMajor, versionMinor, serverProperties, mechanisms, locales);
        }
    }

    /** {@code connection.start-ok} (10, 11). */
    record StartOk(
            Map<String, Object> clientProperties,
            String mechanism,
            LongString response,
            String locale)
            implements ConnectionMethod {
        public StartOk {
            clientProperties = nonNull(clientProperties);
            mechanism = nonNull(mechanism);
            response = nonNull(response);
            locale = nonNull(locale);
        }

        @Override public int methodId() { return 11; }
        @Override public String name() { return "connection.start-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            FieldTables.writeTable(out, clientProperties);
            writeShortstr(out, mechanism);
            writeLongstr(out, response);
            writeShortstr(out, locale);
        }

        static StartOk read(ByteBuf in) {
            Map<String, Object> clientProperties = FieldTables.readTable(in, 0);
            String mechanism = readShortstr(in);
            LongString response = readLongstr(in);
            String locale = readShortstr(in);
            return new StartOk(clientProperties, mechanism, response, locale);
        }
    }

    /** {@code connection.secure} (10, 20). */
    record Secure(LongString challenge) implements ConnectionMethod {
        public Secure {
            challenge = nonNull(challenge);
        }

        @Override public int methodId() { return 20; }
        @Override public String name() { return "connection.secure"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeLongstr(out, challenge);
        }

        static Secure read(ByteBuf in) {
            LongString challenge = readLongstr(in);
            return new Secure(challenge);
        }
    }

    /** {@code connection.secure-ok} (10, 21). */
    record SecureOk(LongString response) implements ConnectionMethod {
        public SecureOk {
            response = nonNull(response);
        }

        @Override public int methodId() { return 21; }
        @Override public String name() { return "connection.secure-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeLongstr(out, response);
        }

        static SecureOk read(ByteBuf in) {
            LongString response = readLongstr(in);
            return new SecureOk(response);
        }
    }

    /** {@code connection.tune} (10, 30). */
    record Tune(int channelMax, int frameMax, int heartbeat) implements ConnectionMethod {
        @Override public int methodId() { return 30; }
        @Override public String name() { return "connection.tune"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(channelMax);
            out.writeInt(frameMax);
            out.writeShort(heartbeat);
        }

        static Tune read(ByteBuf in) {
            int channelMax = in.readUnsignedShort();
            int frameMax = in.readInt();
            int heartbeat = in.readUnsignedShort();
            return new Tune(channelMax, frameMax, heartbeat);
        }
    }

    /** {@code connection.tune-ok} (10, 31). */
    record TuneOk(int channelMax, int frameMax, int heartbeat) implements ConnectionMethod {
        @Override public int methodId() { return 31; }
        @Override public String name() { return "connection.tune-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            out.writeShort(channelMax);
            out.writeInt(frameMax);
            out.writeShort(heartbeat);
        }

        static TuneOk read(ByteBuf in) {
            int channelMax = in.readUnsignedShort();
            int frameMax = in.readInt();
            int heartbeat = in.readUnsignedShort();
            return new TuneOk(channelMax, frameMax, heartbeat);
        }
    }

    /** {@code connection.open} (10, 40). */
    record Open(
            String virtualHost,
            String reserved1,
            boolean reserved2)
            implements ConnectionMethod {
        public Open {
            virtualHost = nonNull(virtualHost);
            reserved1 = nonNull(reserved1);
        }

        /** With the reserved fields at their defaults. */
        public Open(String virtualHost) {
            this(virtualHost, "", false);
        }

        @Override public int methodId() { return 40; }
        @Override public String name() { return "connection.open"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, virtualHost);
            writeShortstr(out, reserved1);
            out.writeByte(reserved2 ? 1 : 0);
        }

        static Open read(ByteBuf in) {
            String virtualHost = readShortstr(in);
            String reserved1 = readShortstr(in);
            int bits = in.readUnsignedByte();
            return new Open(virtualHost, reserved1, (bits & 1) != 0);
        }
    }

    /** {@code connection.open-ok} (10, 41). */
    record OpenOk(String reserved1) implements ConnectionMethod {
        public OpenOk {
            reserved1 = nonNull(reserved1);
        }

        /** With the reserved fields at their defaults. */
        public OpenOk() {
            this("");
        }

        @Override public int methodId() { return 41; }
        @Override public String name() { return "connection.open-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, reserved1);
        }

        static OpenOk read(ByteBuf in) {
            String reserved1 = readShortstr(in);
            return new OpenOk(reserved1);
        }
    }

    /** {@code connection.close} (10, 50). */
    record Close(
            int replyCode,
            String replyText,
            int failingClassId,
            int failingMethodId)
            implements ConnectionMethod {
        public Close {
            replyText = nonNull(replyText);
        }

        @Override public int methodId() { return 50; }
        @Override public String name() { return "connection.close"; }

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

    /** {@code connection.close-ok} (10, 51). */
    record CloseOk() implements ConnectionMethod {
        @Override public int methodId() { return 51; }
        @Override public String name() { return "connection.close-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static CloseOk read(ByteBuf in) {
            return new CloseOk();
        }
    }

    /** {@code connection.blocked} (10, 60). */
    record Blocked(String reason) implements ConnectionMethod {
        public Blocked {
            reason = nonNull(reason);
        }

        @Override public int methodId() { return 60; }
        @Override public String name() { return "connection.blocked"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeShortstr(out, reason);
        }

        static Blocked read(ByteBuf in) {
            String reason = readShortstr(in);
            return new Blocked(reason);
        }
    }

    /** {@code connection.unblocked} (10, 61). */
    record Unblocked() implements ConnectionMethod {
        @Override public int methodId() { return 61; }
        @Override public String name() { return "connection.unblocked"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static Unblocked read(ByteBuf in) {
            return new Unblocked();
        }
    }

    /** {@code connection.update-secret} (10, 70). */
    record UpdateSecret(LongString newSecret, String reason) implements ConnectionMethod {
        public UpdateSecret {
            newSecret = nonNull(newSecret);
            reason = nonNull(reason);
        }

        @Override public int methodId() { return 70; }
        @Override public String name() { return "connection.update-secret"; }

        @Override
        public void writeArguments(ByteBuf out) {
            writeLongstr(out, newSecret);
            writeShortstr(out, reason);
        }

        static UpdateSecret read(ByteBuf in) {
            LongString newSecret = readLongstr(in);
            String reason = readShortstr(in);
            return new UpdateSecret(newSecret, reason);
        }
    }

    /** {@code connection.update-secret-ok} (10, 71). */
    record UpdateSecretOk() implements ConnectionMethod {
        @Override public int methodId() { return 71; }
        @Override public String name() { return "connection.update-secret-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static UpdateSecretOk read(ByteBuf in) {
            return new UpdateSecretOk();
        }
    }
}
