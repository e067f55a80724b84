package io.warren.broker.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import io.warren.amqp.ContentHeader;
import io.warren.exchange.RoutableMessage;
import java.util.List;
import java.util.Map;

/**
 * One published message: where it was published, its content header (raw property bytes, re-sent
 * as received) and its body. The same instance, and the same body buffer, is shared by every
 * queue the message was routed to: fan-out costs a reference count, not a copy.
 *
 * <p>Reference counting: the publisher holds one reference while routing; each queue holding the
 * message (ready or unacknowledged) holds one more. Writing a delivery takes its own retained
 * duplicates of header and body, so a message acked while its frames are still in the socket
 * buffer stays intact.
 *
 * <p>Concurrency: immutable once handed to a queue, apart from the reference count (atomic) and
 * the lazily decoded headers (a benign race: both threads decode the same value). Before that its
 * publisher may restart its TTL clock ({@link #enteringQueuesAt}); the hand-over to the queue's
 * inbox publishes the new times.
 */
public final class Message extends AbstractReferenceCounted implements RoutableMessage {

    private final long id;
    private final String exchange;
    private final String routingKey;
    /** Replaced only by {@link #detachFromReadBuffer}, before the message is shared. */
    private ContentHeader header;
    private ByteBuf body;
    private boolean detached;
    private final boolean persistent;
    private long arrivalMillis;
    private long expiresAtMillis;
    private Map<String, Object> headers;
    private int priority = -1;
    /** BCC routing keys it was published with (gone from its header), or null: dead-lettering routes with them. */
    private List<String> bccRoutingKeys;

    /**
     * @param arrivalMillis when the broker took the message in (queue TTLs count from here)
     * @param expiresAtMillis when its own expiration property makes it expire, or
     *                        {@link Long#MAX_VALUE}
     */
    public Message(long id, String exchange, String routingKey, ContentHeader header, ByteBuf body,
                   long arrivalMillis, long expiresAtMillis) {
        this.id = id;
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.header = header;
        this.body = body;
        this.arrivalMillis = arrivalMillis;
        this.expiresAtMillis = expiresAtMillis;
        Integer mode = header.deliveryMode();
        this.persistent = mode != null && mode == 2;
    }

    public long arrivalMillis() {
        return arrivalMillis;
    }

    /**
     * The message enters its queues only now (a transaction's publishes, at tx.commit): queue
     * TTLs and its own expiration count from here, as in RabbitMQ. Publisher's thread, before
     * the message is offered to any queue.
     */
    public void enteringQueuesAt(long nowMillis) {
        if (expiresAtMillis != Long.MAX_VALUE) {
            expiresAtMillis = nowMillis + (expiresAtMillis - arrivalMillis);
        }
        arrivalMillis = nowMillis;
    }

    /** Absolute expiry from the message's own expiration property; {@link Long#MAX_VALUE} without one. */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    /** The BCC keys it was published with, or null; not kept across a restart or paging. */
    public List<String> bccRoutingKeys() {
        return bccRoutingKeys;
    }

    /** Publisher's or dead-letterer's thread, before the message is offered to any queue. */
    public void bccRoutingKeys(List<String> keys) {
        this.bccRoutingKeys = keys;
    }

    /** The priority property (0 when absent), read once. */
    public int priority() {
        int p = priority;
        if (p < 0) {
            Integer v = header.priority();
            p = v == null ? 0 : v;
            priority = p;
        }
        return p;
    }

    /** Broker-wide increasing id: order of publication, position in queues, key in the store. */
    public long id() {
        return id;
    }

    public String exchange() {
        return exchange;
    }

    @Override
    public String routingKey() {
        return routingKey;
    }

    @Override
    public Map<String, Object> headers() {
        Map<String, Object> h = headers;
        if (h == null) {
            h = header.headers();
            headers = h == null ? Map.of() : h;
            h = headers;
        }
        return h;
    }

    /**
     * Seeds {@link #headers()} with the table the header was just built from, sparing a decode.
     * Only before the message is handed to anyone else.
     */
    public void knownHeaders(Map<String, Object> decoded) {
        this.headers = decoded;
    }

    /**
     * Bodies up to this size are copied out of the read buffer when the message is queued. A
     * copy costs about as much as the encoder's own copy of a small frame; above this size the
     * body is most of the buffer it pins anyway.
     */
    public static final int DETACH_LIMIT = 4096;

    /**
     * Copies a small message's header properties and body out of the buffers they were read
     * into, each into an exactly-sized array: the body is otherwise a slice of a pooled read buffer, and one small
     * message waiting in a queue would keep the whole pooled chunk that read landed in. Once per
     * message however many queues it reaches; later calls do nothing. Publisher's (or
     * dead-letterer's) thread, before the message is offered to any queue: the hand-over to a
     * queue's inbox publishes the new buffers.
     */
    public void detachFromReadBuffer() {
        if (detached) {
            return;
        }
        detached = true;
        if (body == null || body.readableBytes() > DETACH_LIMIT) {
            return;
        }
        // the decoder copies most small contents itself (AmqpDecoder#copyContentUpTo); what it
        // sliced (a body over two frames, a message from elsewhere) is copied here
        ContentHeader h = header;
        if (!ownsExactly(h.rawProperties())) {
            header = h.withRawProperties(copy(h.rawProperties()));
            h.release();
        }
        if (!ownsExactly(body)) {
            ByteBuf sliced = body;
            body = copy(sliced);
            sliced.release();
        }
    }

    /**
     * Detaches a small message onto the bytes its store record was encoded into
     * ({@link MessageBytes#encodeShared}): {@code rawProperties} and {@code body} are slices of that
     * array, which this message now owns. Bodies above {@link #DETACH_LIMIT} keep their read
     * buffers, as {@link #detachFromReadBuffer} leaves them. Same thread and moment as that method.
     */
    void shareStoredBytes(ByteBuf rawProperties, ByteBuf storedBody) {
        if (detached || body == null || body.readableBytes() > DETACH_LIMIT) {
            rawProperties.release();
            storedBody.release();
            return;
        }
        detached = true;
        ContentHeader h = header;
        header = h.withRawProperties(rawProperties);
        h.release();
        body.release();
        body = storedBody;
    }

    /** A buffer over an array of exactly its bytes: it keeps nothing else alive. */
    private static boolean ownsExactly(ByteBuf b) {
        return b.unwrap() == null && b.hasArray() && b.arrayOffset() == 0 && b.readerIndex() == 0
                && b.array().length == b.readableBytes();
    }

    private static ByteBuf copy(ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), bytes);
        return Unpooled.wrappedBuffer(bytes);
    }

    public ContentHeader header() {
        return header;
    }

    public ByteBuf body() {
        return body;
    }

    public long bodySize() {
        return header.bodySize();
    }

    public boolean persistent() {
        return persistent;
    }

    @Override
    protected void deallocate() {
        header.release();
        if (body != null) {
            body.release();
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }

    @Override
    public String toString() {
        return "Message#" + id + "(" + exchange + "/" + routingKey + ", " + header.bodySize() + " bytes)";
    }
}
