package io.warren.broker.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The production pipeline from a socket to a connection, driven without a socket: a Netty
 * EmbeddedChannel with the initializer the AMQP listener installs answers the protocol header
 * with connection.start.
 */
class AmqpChannelInitializerTest {

    @Test
    void theProtocolHeaderIsAnsweredWithConnectionStart() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().amqpPort(-1).build())) {
            EmbeddedChannel ch = new EmbeddedChannel(new AmqpChannelInitializer(broker.connectionContext()));
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(
                        new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}));
                ch.runPendingTasks();
                ByteBuf out = outbound(ch);
                assertNotNull(out, "nothing written after the protocol header");
                try {
                    assertEquals(1, out.getUnsignedByte(0), "frame type: method");
                    assertEquals(0, out.getUnsignedShort(1), "channel 0");
                    assertEquals(10, out.getUnsignedShort(7), "class: connection");
                    assertEquals(10, out.getUnsignedShort(9), "method: start");
                    assertEquals(0xCE, out.getUnsignedByte(out.readableBytes() - 1), "frame end");
                    String body = out.toString(StandardCharsets.ISO_8859_1);
                    assertEquals(true, body.contains("PLAIN"), "offers PLAIN: " + body);
                } finally {
                    out.release();
                }
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    /** Everything the pipeline wrote, as one buffer (the encoder may write a frame in parts). */
    private static ByteBuf outbound(EmbeddedChannel ch) {
        CompositeByteBuf all = Unpooled.compositeBuffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            all.addComponent(true, part);
        }
        if (all.readableBytes() == 0) {
            all.release();
            return null;
        }
        return all;
    }
}
