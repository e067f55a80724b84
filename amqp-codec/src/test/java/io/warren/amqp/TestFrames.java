package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Frames built by hand, byte by byte, and helpers to push bytes through a pipeline. */
final class TestFrames {
    private TestFrames() {
    }

    static byte[] frame(int type, int channel, byte[] payload) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(type).writeShort(channel).writeInt(payload.length).writeBytes(payload).writeByte(0xCE);
        return ByteBufUtil.getBytes(buf);
    }

    static byte[] method(int channel, AmqpMethod method) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeShort(method.classId()).writeShort(method.methodId());
        method.writeArguments(buf);
        return frame(1, channel, ByteBufUtil.getBytes(buf));
    }

    static byte[] method(int channel, int classId, int methodId, byte[] arguments) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeShort(classId).writeShort(methodId).writeBytes(arguments);
        return frame(1, channel, ByteBufUtil.getBytes(buf));
    }

    static byte[] header(int channel, int classId, long bodySize, byte[] properties) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeShort(classId).writeShort(0).writeLong(bodySize).writeBytes(properties);
        return frame(2, channel, ByteBufUtil.getBytes(buf));
    }

    /** A header frame with no property set. */
    static byte[] header(int channel, long bodySize) {
        return header(channel, 60, bodySize, new byte[] {0, 0});
    }

    static byte[] body(int channel, byte[] body) {
        return frame(3, channel, body);
    }

    static byte[] heartbeat() {
        return frame(8, 0, new byte[0]);
    }

    static byte[] publish(int channel, String routingKey) {
        return method(channel, new BasicMethod.Publish("", routingKey, false, false));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** A channel with a decoder of default limits. */
    static EmbeddedChannel decoderChannel() {
        return new EmbeddedChannel(new AmqpDecoder());
    }

    /** Writes {@code input} whole, or one byte per write, and returns all inbound messages. */
    static List<Object> feed(EmbeddedChannel channel, byte[] input, boolean byteAtATime) {
        if (byteAtATime) {
            for (byte b : input) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            channel.writeInbound(Unpooled.wrappedBuffer(input));
        }
        return readAll(channel);
    }

    static List<Object> readAll(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            messages.add(m);
        }
        return messages;
    }

    /** Concatenates and releases all outbound buffers. */
    static byte[] outbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) m;
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }

    static void release(List<Object> messages) {
        for (Object m : messages) {
            if (m instanceof AmqpCommand c) {
                c.release();
            }
        }
    }
}
