package io.warren.broker.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.ContentHeader;
import java.nio.charset.StandardCharsets;

/**
 * A message as bytes, for the store and for paging: one byte array holding where it was published, the content
 * header exactly as received (so a recovered message is re-sent byte for byte) and the body.
 *
 * <pre>
 * version        1 byte (1)
 * arrival        8 bytes, epoch millis (queue TTLs count from it)
 * expires at     8 bytes, epoch millis from the expiration property (Long.MAX_VALUE: none)
 * exchange       1-byte length + UTF-8
 * routing key    1-byte length + UTF-8
 * header         4-byte length + content header frame payload (class, weight, body size, properties)
 * body           the rest
 * </pre>
 */
public final class MessageBytes {

    private static final byte VERSION = 1;

    private MessageBytes() {}

    public static byte[] encode(Message m) {
        return encode(m, false);
    }

    /**
     * Encodes {@code m} for the store and has it keep its header properties and body as slices of
     * the result instead of the buffers they were read into: the store's copy then serves as the
     * detached copy too (see {@link Message#detachFromReadBuffer}). The array belongs to the
     * store and to {@code m} from then on: nobody writes to it.
     */
    public static byte[] encodeShared(Message m) {
        return encode(m, true);
    }

    private static byte[] encode(Message m, boolean share) {
        byte[] exchange = m.exchange().getBytes(StandardCharsets.UTF_8);
        byte[] key = m.routingKey().getBytes(StandardCharsets.UTF_8);
        ByteBuf props = m.header().rawProperties();
        int propsLength = props.readableBytes();
        int headerLength = 12 + propsLength;
        ByteBuf body = m.body();
        int bodyLength = body == null ? 0 : body.readableBytes();
        byte[] out = new byte[1 + 16 + 1 + exchange.length + 1 + key.length + 4 + headerLength + bodyLength];
        ByteBuf w = Unpooled.wrappedBuffer(out).writerIndex(0);
        w.writeByte(VERSION);
        w.writeLong(m.arrivalMillis());
        w.writeLong(m.expiresAtMillis());
        w.writeByte(exchange.length).writeBytes(exchange);
        w.writeByte(key.length).writeBytes(key);
        w.writeInt(headerLength);
        w.writeShort(m.header().classId());
        w.writeShort(m.header().weight());
        w.writeLong(m.header().bodySize());
        int propsStart = w.writerIndex();
        w.writeBytes(props, props.readerIndex(), propsLength);
        int bodyStart = w.writerIndex();
        if (body != null) {
            w.writeBytes(body, body.readerIndex(), bodyLength);
        }
        if (share) {
            m.shareStoredBytes(w.retainedSlice(propsStart, propsLength), w.retainedSlice(bodyStart, bodyLength));
        }
        w.release(); // the slices, if any, hold the array now
        return out;
    }

    /** Rebuilds a message (reference count 1, owned by the caller) from its stored bytes. */
    public static Message decode(long id, byte[] content) {
        ByteBuf r = Unpooled.wrappedBuffer(content);
        byte version = r.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("stored message " + id + " has unknown format version " + version);
        }
        long arrival = r.readLong();
        long expiresAt = r.readLong();
        String exchange = r.readCharSequence(r.readUnsignedByte(), StandardCharsets.UTF_8).toString();
        String key = r.readCharSequence(r.readUnsignedByte(), StandardCharsets.UTF_8).toString();
        int headerLength = r.readInt();
        ContentHeader header = ContentHeader.decode(r.readRetainedSlice(headerLength));
        ByteBuf body = r.readRetainedSlice(r.readableBytes());
        r.release();
        return new Message(id, exchange, key, header, body, arrival, expiresAt);
    }
}
