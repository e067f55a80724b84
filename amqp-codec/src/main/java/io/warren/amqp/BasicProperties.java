package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.time.Instant;
import java.util.Map;

/**
 * The 14 properties of the {@code basic} content class, in spec order; null means absent.
 *
 * <p>On the wire a 16-bit flag word says which are present (bit 15 for {@code contentType} down
 * to bit 2 for {@code clusterId}) and the present ones follow in order. Bits 1 and 0 (the
 * continuation flag) are ignored on input and never set, as RabbitMQ does: the basic class has
 * only 14 properties.
 *
 * <p>{@code headers} is not copied; decoded headers are unmodifiable.
 */
public record BasicProperties(
        String contentType,
        String contentEncoding,
        Map<String, Object> headers,
        Integer deliveryMode,
        Integer priority,
        String correlationId,
        String replyTo,
        String expiration,
        String messageId,
        Instant timestamp,
        String type,
        String userId,
        String appId,
        String clusterId) {

    /** No property set. */
    public static final BasicProperties EMPTY = new BasicProperties(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** Property indexes (0 = content-type), whose flag bit is {@code 15 - index}. */
    static final int CONTENT_TYPE = 0;
    static final int HEADERS = 2;
    static final int DELIVERY_MODE = 3;
    static final int PRIORITY = 4;
    static final int REPLY_TO = 6;
    static final int EXPIRATION = 7;
    static final int TIMESTAMP = 9;
    static final int USER_ID = 11;
    static final int COUNT = 14;

    static boolean present(int flags, int index) {
        return (flags & (0x8000 >>> index)) != 0;
    }

    /**
     * The encoded size of the property at {@code index}, read from {@code raw} at {@code pos}
     * without bounds checks beyond the buffer's own.
     */
    static long sizeAt(ByteBuf raw, int index, int pos) {
        return switch (index) {
            case HEADERS -> 4 + raw.getUnsignedInt(pos);
            case DELIVERY_MODE, PRIORITY -> 1;
            case TIMESTAMP -> 8;
            default -> 1 + raw.getUnsignedByte(pos);
        };
    }

    /** Writes the flag word and the present properties. */
    void writeTo(ByteBuf out) {
        int flagsIndex = out.writerIndex();
        out.writeShort(0);
        int flags = 0;
        Object[] values = {contentType, contentEncoding, headers, deliveryMode, priority,
                correlationId, replyTo, expiration, messageId, timestamp, type, userId, appId,
                clusterId};
        for (int i = 0; i < COUNT; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            flags |= 0x8000 >>> i;
            switch (i) {
                case HEADERS -> FieldTables.writeTable(out, headers);
                case DELIVERY_MODE, PRIORITY -> out.writeByte(octet((Integer) value));
                case TIMESTAMP -> out.writeLong(((Instant) value).getEpochSecond());
                default -> AmqpCodecUtil.writeShortstr(out, (String) value);
            }
        }
        out.setShort(flagsIndex, flags);
    }

    private static int octet(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("octet property outside 0..255: " + value);
        }
        return value;
    }

    /** Reads a flag word and the properties it announces (the caller validated the layout). */
    static BasicProperties read(ByteBuf in) {
        int flags = in.readUnsignedShort();
        Object[] v = new Object[COUNT];
        for (int i = 0; i < COUNT; i++) {
            if (!present(flags, i)) {
                continue;
            }
            v[i] = switch (i) {
                case HEADERS -> FieldTables.readTable(in, 0);
                case DELIVERY_MODE, PRIORITY -> (int) in.readUnsignedByte();
                case TIMESTAMP -> FieldTables.readTimestamp(in);
                default -> AmqpCodecUtil.readShortstrLenient(in);
            };
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) v[2];
        return new BasicProperties((String) v[0], (String) v[1], headers, (Integer) v[3],
                (Integer) v[4], (String) v[5], (String) v[6], (String) v[7], (String) v[8],
                (Instant) v[9], (String) v[10], (String) v[11], (String) v[12], (String) v[13]);
    }
}
