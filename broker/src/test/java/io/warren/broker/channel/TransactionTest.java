package io.warren.broker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a transaction holds is on the heap, where the memory alarm sees it, and no longer pins
 * the pooled direct buffer it was read into.
 */
class TransactionTest {

    @Test
    void aBodyReadIntoADirectBufferIsHeldAsAnExactHeapCopy() {
        ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        read.writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
        ByteBuf body = read.retainedSlice(0, 5);
        read.release();

        ByteBuf held = Transaction.onHeap(body);

        assertFalse(held.isDirect());
        assertEquals(5, held.capacity());
        assertEquals("hello", held.toString(StandardCharsets.US_ASCII));
        assertEquals(0, read.refCnt(), "the read buffer was let go");
        held.release();
    }

    @Test
    void aHeaderReadIntoADirectBufferIsHeldAsAHeapCopyWithTheSameBytes() {
        ContentHeader built = ContentHeader.of(60, new BasicProperties("text/plain", null, Map.of("k", "v"),
                2, null, "corr", null, "1000", null, null, null, null, null, null), 5);
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer();
        ByteBuf raw = built.rawProperties();
        frame.writeShort(60).writeShort(0).writeLong(5).writeBytes(raw, raw.readerIndex(), raw.readableBytes());
        ContentHeader read = ContentHeader.decode(frame.retain());

        ContentHeader held = Transaction.onHeap(read);

        assertFalse(held.rawProperties().isDirect());
        assertEquals(built, held);
        assertEquals("corr", held.properties().correlationId());
        assertEquals("1000", held.expiration());
        assertEquals(1, frame.refCnt(), "only this test's own reference is left");
        frame.release();
        held.release();
        built.release();
    }

    @Test
    void whatIsOnTheHeapAlreadyIsKept() {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        assertSame(body, Transaction.onHeap(body));
        body.release();
    }
}
