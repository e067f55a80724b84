package io.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** basic.publish reuses the previous exchange and routing key strings when the bytes repeat them. */
class PublishNamesTest {

    private static BasicMethod.Publish decode(String exchange, String routingKey, boolean direct) {
        ByteBuf out = Unpooled.buffer();
        new BasicMethod.Publish(0, exchange, routingKey, true, false).writeArguments(out);
        ByteBuf in = out;
        if (direct) {
            in = Unpooled.directBuffer(out.readableBytes()).writeBytes(out);
        }
        try {
            BasicMethod.Publish p = BasicMethod.Publish.read(in);
            assertEquals(0, in.readableBytes(), "every argument read");
            return p;
        } finally {
            in.release();
        }
    }

    @Test
    void repeatedNamesAreTheSameStringsAndChangedOnesAreReadAfresh() {
        for (boolean direct : new boolean[] {false, true}) {
            BasicMethod.Publish first = decode("orders", "eu.created", direct);
            BasicMethod.Publish again = decode("orders", "eu.created", direct);
            assertSame(first.exchange(), again.exchange());
            assertSame(first.routingKey(), again.routingKey());
            assertEquals(true, again.mandatory());

            BasicMethod.Publish other = decode("orderz", "eu.created", direct);
            assertEquals("orderz", other.exchange());
            assertNotSame(first.exchange(), other.exchange());
            assertEquals("eu.create", decode("orderz", "eu.create", direct).routingKey());
            assertEquals("eu.createe", decode("orderz", "eu.createe", direct).routingKey());
            assertEquals("", decode("", "", direct).exchange());
            assertEquals("", decode("", "", direct).routingKey());
        }
    }

    @Test
    void nonAsciiNamesNeverMatchByBytes() {
        BasicMethod.Publish accented = decode("é", "ü.x", false);
        assertEquals("é", accented.exchange());
        // two bytes whose Latin-1 reading differs from "é": read afresh, not mistaken for it
        ByteBuf in = Unpooled.buffer();
        in.writeShort(0);
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        in.writeByte(e.length).writeBytes(e);
        in.writeByte(1).writeByte('k');
        in.writeByte(0);
        BasicMethod.Publish p = BasicMethod.Publish.read(in);
        assertEquals("é", p.exchange());
        assertEquals("k", p.routingKey());
    }

    @Test
    void aTruncatedRepeatIsStillRefused() {
        decode("x", "key", false);
        ByteBuf in = Unpooled.buffer().writeShort(0).writeByte(1).writeByte('x').writeByte(3).writeByte('k');
        assertThrows(AmqpException.class, () -> BasicMethod.Publish.read(in));
    }
}
