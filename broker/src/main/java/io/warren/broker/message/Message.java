package io.warren.broker.message;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import io.warren.amqp.ContentHeader;
import io.warren.exchange.RoutableMessage;
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
 * <p>Concurrency: immutable after construction, apart from the reference count (atomic) and the
 * lazily decoded headers (a benign race: both threads decode the same value).
 */
public final class Message extends AbstractReferenceCounted implements RoutableMessage {

    private final long id;
    private final String exchange;
    private final String routingKey;
    private final ContentHeader header;
    private final ByteBuf body;
    private final boolean persistent;
    private Map<String, Object> headers;

    public Message(long id, String exchange, String routingKey, ContentHeader header, ByteBuf body) {
        this.id = id;
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.header = header;
        this.body = body;
        Integer mode = header.deliveryMode();
        this.persistent = mode != null && mode == 2;
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
