package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A content header frame: class, weight, body size and the properties, kept as the raw bytes
 * received (flag word + property list) so a message is re-sent byte for byte, never re-encoded.
 *
 * <p>Nothing is decoded up front: the decoder only checks that the property list matches its
 * flags. {@link #deliveryMode()}, {@link #priority()}, {@link #expiration()} and
 * {@link #headers()} walk the flags to their property and read just that;
 * {@link #properties()} decodes everything once and keeps the result.
 *
 * <p>Reference counted through its raw bytes: the decoder hands out a header holding one
 * reference to a slice of the received frame; whoever consumes it releases it (or
 * {@link AmqpCommand#release()} does).
 *
 * <p>Concurrency: a header may be shared by the deliveries of one message on several threads.
 * It only reads its bytes with absolute getters, never moving an index, and the lazily decoded
 * {@link BasicProperties} is immutable, so racing threads at worst decode it twice.
 */
public final class ContentHeader implements ReferenceCounted {
    private final int classId;
    private final int weight;
    private final long bodySize;
    private final ByteBuf raw;
    private final int base;
    private final int length;
    private final int flags;
    private BasicProperties properties;

    private ContentHeader(int classId, int weight, long bodySize, ByteBuf raw,
                          BasicProperties properties) {
        this.classId = classId;
        this.weight = weight;
        this.bodySize = bodySize;
        this.raw = raw;
        this.base = raw.readerIndex();
        this.length = raw.readableBytes();
        this.flags = raw.getUnsignedShort(base);
        this.properties = properties;
    }

    /** A header built from values, for messages the broker itself sends. */
    public static ContentHeader of(int classId, BasicProperties properties, long bodySize) {
        ByteBuf raw = Unpooled.buffer(64);
        try {
            properties.writeTo(raw);
        } catch (RuntimeException e) {
            raw.release();
            throw e;
        }
        return new ContentHeader(classId, 0, bodySize, raw, properties);
    }

    /**
     * This header over another copy of its property list ({@code rawProperties}, the same bytes
     * as {@link #rawProperties()}), which it takes over: nothing is validated or decoded again.
     */
    public ContentHeader withRawProperties(ByteBuf rawProperties) {
        return new ContentHeader(classId, weight, bodySize, rawProperties, properties);
    }

    /**
     * Reads a content header frame's payload (class id, weight, body size, flags and property
     * list: the readable bytes of {@code payload}), for instance one kept in a message store.
     * Takes over the caller's reference to {@code payload}: the properties stay a slice of it,
     * released with the header (and at once if the payload does not decode).
     *
     * @throws AmqpException {@link ReplyCode#FRAME_ERROR} if it is not a content header
     */
    public static ContentHeader decode(ByteBuf payload) {
        try {
            if (payload.readableBytes() < 14) {
                throw AmqpCodecUtil.malformed(
                        "content header of " + payload.readableBytes() + " octets");
            }
            return read(payload);
        } finally {
            payload.release();
        }
    }

    /**
     * Reads a content header frame's payload (the readable bytes of {@code in}), keeping the
     * properties as a retained slice of {@code in}.
     *
     * @throws AmqpException {@link ReplyCode#FRAME_ERROR} if the properties do not match their
     *                       flags
     */
    static ContentHeader read(ByteBuf in) {
        return read(in, false);
    }

    /**
     * As {@link #read(ByteBuf)}; with {@code copy}, the properties are copied into an array of
     * their own instead of sliced, so that the header does not keep {@code in} alive.
     */
    static ContentHeader read(ByteBuf in, boolean copy) {
        int classId = in.readUnsignedShort();
        int weight = in.readUnsignedShort();
        long bodySize = in.readLong();
        int index = in.readerIndex();
        int length = in.readableBytes();
        validate(in, index, length);
        // a persistent message is copied once anyway, into the bytes the store keeps, and its
        // broker shares those (Message#shareStoredBytes): no copy here
        ByteBuf raw = copy && !persistent(in, index)
                ? Unpooled.wrappedBuffer(ByteBufUtil.getBytes(in, index, length, true))
                : in.retainedSlice(index, length);
        ContentHeader header = new ContentHeader(classId, weight, bodySize, raw, null);
        in.skipBytes(length);
        return header;
    }

    /** Whether validated properties at {@code index} of {@code in} say delivery mode 2. */
    static boolean persistent(ByteBuf in, int index) {
        int flags = in.getUnsignedShort(index);
        if (!BasicProperties.present(flags, BasicProperties.DELIVERY_MODE)) {
            return false;
        }
        long pos = index + 2;
        for (int i = 0; i < BasicProperties.DELIVERY_MODE; i++) {
            if (BasicProperties.present(flags, i)) {
                pos += BasicProperties.sizeAt(in, i, (int) pos);
            }
        }
        return in.getUnsignedByte((int) pos) == 2;
    }

    /**
     * Checks that the property list is exactly what the flags announce, so that the accessors
     * can walk it without checks. RabbitMQ finds out later, when it decodes the properties, and
     * answers 541 INTERNAL_ERROR; we answer at once with 501 FRAME_ERROR, as for any argument
     * that does not decode.
     */
    private static void validate(ByteBuf in, int index, int length) {
        if (length < 2) {
            throw AmqpCodecUtil.malformed("content header without property flags");
        }
        int flags = in.getUnsignedShort(index);
        long pos = index + 2;
        long end = (long) index + length;
        for (int i = 0; i < BasicProperties.COUNT; i++) {
            if (!BasicProperties.present(flags, i)) {
                continue;
            }
            // The size octet or length word itself must be there before we read it.
            int prefix = i == BasicProperties.HEADERS ? 4 : 1;
            if (pos + prefix > end) {
                throw AmqpCodecUtil.malformed("content header properties truncated");
            }
            pos += BasicProperties.sizeAt(in, i, (int) pos);
        }
        if (pos > end) {
            throw AmqpCodecUtil.malformed("content header properties truncated");
        } else if (pos < end) {
            throw AmqpCodecUtil.malformed("content header properties do not match their flags");
        }
    }

    public int classId() {
        return classId;
    }

    /** Unused by AMQP 0-9-1: always 0 in valid traffic. */
    public int weight() {
        return weight;
    }

    public long bodySize() {
        return bodySize;
    }

    /**
     * The flag word and property list exactly as received. The codec reads it with absolute
     * getters only; callers should too (or take a {@code duplicate()}), since it is shared.
     */
    public ByteBuf rawProperties() {
        return raw;
    }

    /** Copies the flag word and property list, exactly as received, to {@code out}. */
    void writePropertiesTo(ByteBuf out) {
        out.writeBytes(raw, base, length);
    }

    int propertiesLength() {
        return length;
    }

    /** All properties, decoded on first use. */
    public BasicProperties properties() {
        BasicProperties p = properties;
        if (p == null) {
            try {
                p = BasicProperties.read(raw.slice(base, length));
            } catch (IndexOutOfBoundsException e) {
                throw AmqpCodecUtil.malformed("content header properties truncated");
            }
            properties = p;
        }
        return p;
    }

    /** The delivery mode (2 = persistent), or null; reads one octet. */
    public Integer deliveryMode() {
        return octet(BasicProperties.DELIVERY_MODE);
    }

    /** Whether the delivery mode is 2 (persistent). */
    public boolean persistentMode() {
        Integer mode = deliveryMode();
        return mode != null && mode == 2;
    }

    /** The priority, or null; reads one octet. */
    public Integer priority() {
        return octet(BasicProperties.PRIORITY);
    }

    /** The per-message TTL as sent (milliseconds as text), or null. */
    public String expiration() {
        if (!BasicProperties.present(flags, BasicProperties.EXPIRATION)) {
            return null;
        }
        int pos = offsetOf(BasicProperties.EXPIRATION);
        return raw.toString(pos + 1, raw.getUnsignedByte(pos), StandardCharsets.UTF_8);
    }

    /** The reply-to property, or null; reads only that string. */
    public String replyTo() {
        return shortString(BasicProperties.REPLY_TO);
    }

    /** The user-id property, or null; reads only that string. */
    public String userId() {
        return shortString(BasicProperties.USER_ID);
    }

    private String shortString(int index) {
        if (!BasicProperties.present(flags, index)) {
            return null;
        }
        int pos = offsetOf(index);
        return raw.toString(pos + 1, raw.getUnsignedByte(pos), StandardCharsets.UTF_8);
    }

    /**
     * Whether the headers table may hold the (ASCII) key: a scan of its raw bytes for the key's
     * length octet and characters, no decoding. False means certainly not; true means decode
     * {@link #headers()} to be sure (a value may contain the same bytes).
     */
    public boolean mayHaveHeader(String key) {
        if (!BasicProperties.present(flags, BasicProperties.HEADERS)) {
            return false;
        }
        int pos = offsetOf(BasicProperties.HEADERS);
        int end = pos + 4 + raw.getInt(pos);
        int n = key.length();
        for (int i = pos + 4; i + n < end; i++) {
            if (raw.getUnsignedByte(i) != n) {
                continue;
            }
            int j = 0;
            while (j < n && raw.getByte(i + 1 + j) == (byte) key.charAt(j)) {
                j++;
            }
            if (j == n) {
                return true;
            }
        }
        return false;
    }

    /** The headers table, or null; decodes only the table. */
    public Map<String, Object> headers() {
        if (!BasicProperties.present(flags, BasicProperties.HEADERS)) {
            return null;
        }
        int pos = offsetOf(BasicProperties.HEADERS);
        return FieldTables.decode(raw.slice(pos, 4 + raw.getInt(pos)));
    }

    private Integer octet(int index) {
        return BasicProperties.present(flags, index)
                ? Integer.valueOf(raw.getUnsignedByte(offsetOf(index)))
                : null;
    }

    /** Where the property at {@code index} starts: skip the present ones before it. */
    private int offsetOf(int index) {
        int pos = base + 2;
        for (int i = 0; i < index; i++) {
            if (BasicProperties.present(flags, i)) {
                pos += (int) BasicProperties.sizeAt(raw, i, pos);
            }
        }
        return pos;
    }

    @Override
    public int refCnt() {
        return raw.refCnt();
    }

    @Override
    public ContentHeader retain() {
        raw.retain();
        return this;
    }

    @Override
    public ContentHeader retain(int increment) {
        raw.retain(increment);
        return this;
    }

    @Override
    public ContentHeader touch() {
        raw.touch();
        return this;
    }

    @Override
    public ContentHeader touch(Object hint) {
        raw.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return raw.release();
    }

    @Override
    public boolean release(int decrement) {
        return raw.release(decrement);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentHeader other
                && classId == other.classId
                && weight == other.weight
                && bodySize == other.bodySize
                && length == other.length
                && ByteBufUtil.equals(raw, base, other.raw, other.base, length);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(bodySize) + ByteBufUtil.hashCode(raw.slice(base, length));
    }

    @Override
    public String toString() {
        return "ContentHeader[classId=" + classId + ", bodySize=" + bodySize
                + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
