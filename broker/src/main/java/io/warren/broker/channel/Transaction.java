package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The publishes of a channel's open transaction (tx.select), held until tx.commit routes them
 * or tx.rollback (or the channel's close) drops them.
 *
 * <p>Memory: RabbitMQ has no per-transaction limit (its channel holds uncommitted publishes
 * until commit, and only the memory alarm stops a publisher whose transaction grows), and
 * neither has Warren: a transactional publisher is blocked by the memory alarm like any other.
 * For the alarm, which watches the live heap, to see what a transaction holds, its publishes are
 * copied onto the heap ({@link #onHeap}) instead of staying slices of the pooled direct buffers
 * they were read into; that also lets those read buffers go. So a huge transaction blocks its
 * publisher (connection.blocked) instead of exhausting direct memory.
 *
 * <p>Concurrency: connection loop only.
 */
final class Transaction {

    /** One held publish and what routing it needs at commit. */
    record Pending(Message message, boolean mandatory, List<String> extraKeys) {}

    private List<Pending> publishes = new ArrayList<>();

    /** Takes over the caller's reference to {@code message}. */
    void add(Message message, boolean mandatory, List<String> extraKeys) {
        publishes.add(new Pending(message, mandatory, extraKeys));
    }

    /** Publishes held for the next commit. */
    int size() {
        return publishes.size();
    }

    /** tx.commit: the held publishes, in order (the caller releases each); a new transaction starts. */
    List<Pending> take() {
        List<Pending> taken = publishes;
        publishes = new ArrayList<>();
        return taken;
    }

    /**
     * A heap copy of {@code header} (the original is released), unless it is on the heap
     * already.
     */
    static ContentHeader onHeap(ContentHeader header) {
        ByteBuf raw = header.rawProperties();
        if (!raw.isDirect()) {
            return header;
        }
        ByteBuf payload = Unpooled.buffer(12 + raw.readableBytes());
        payload.writeShort(header.classId()).writeShort(header.weight()).writeLong(header.bodySize())
                .writeBytes(raw, raw.readerIndex(), raw.readableBytes());
        ContentHeader copy = ContentHeader.decode(payload);
        header.release();
        return copy;
    }

    /** An exactly sized heap copy of {@code body} (the original is released), unless it is on the heap already. */
    static ByteBuf onHeap(ByteBuf body) {
        if (body == null || !body.isDirect()) {
            return body;
        }
        ByteBuf copy = Unpooled.copiedBuffer(body);
        body.release();
        return copy;
    }

    /** tx.rollback or close: the held publishes are dropped. */
    void discard() {
        for (Pending p : take()) {
            p.message().release();
        }
    }
}
