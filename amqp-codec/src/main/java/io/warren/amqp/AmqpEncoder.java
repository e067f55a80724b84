package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.internal.RecyclableArrayList;

import java.util.List;

import static io.warren.amqp.AmqpCodecUtil.FRAME_BODY;
import static io.warren.amqp.AmqpCodecUtil.FRAME_END;
import static io.warren.amqp.AmqpCodecUtil.FRAME_HEADER;
import static io.warren.amqp.AmqpCodecUtil.FRAME_HEADER_SIZE;
import static io.warren.amqp.AmqpCodecUtil.FRAME_HEARTBEAT;
import static io.warren.amqp.AmqpCodecUtil.FRAME_METHOD;
import static io.warren.amqp.AmqpCodecUtil.FRAME_OVERHEAD;

/**
 * {@link AmqpCommand}s and {@link AmqpHeartbeat}s to frames; anything else passes through.
 *
 * <p>A command becomes few buffers and no copy of its body: one small pooled buffer holds the
 * method frame, the content header frame (the properties copied as received, never re-encoded)
 * and the first body frame's header; each body frame's payload is a retained slice of the body;
 * between two body frames a small buffer holds the end octet and the next frame's header, and a
 * shared read-only octet ends the last one. Bodies are split so that no frame exceeds
 * {@link #setMaxFrameSize frame_max}; an empty body sends no body frame, as the RabbitMQ clients
 * do. The encoder consumes the command's references to header and body and never moves their
 * indices (see {@link AmqpCommand}).
 *
 * <p>All buffers but the last are written with the void promise, the last with the caller's: the
 * writes go out in order or the channel is broken, so the caller's promise reports the command.
 *
 * <p>One per connection, because frame_max is; not thread-safe, set it on the event loop.
 */
public final class AmqpEncoder extends ChannelOutboundHandlerAdapter {
    private static final ByteBuf END = constant(FRAME_END);
    private static final ByteBuf HEARTBEAT = constant(FRAME_HEARTBEAT, 0, 0, 0, 0, 0, 0, FRAME_END);

    /** Room for the method and header frames of a typical delivery, beyond the properties. */
    private static final int HEAD_CAPACITY = 160;

    /** Bodies up to this size are copied into the frame buffer (see {@link #writeBodyFrames}). */
    static final int SMALL_BODY = 256;

    private int maxFrameSize = AmqpDecoder.DEFAULT_MAX_FRAME_SIZE;

    private static ByteBuf constant(int... octets) {
        ByteBuf buf = Unpooled.directBuffer(octets.length);
        for (int octet : octets) {
            buf.writeByte(octet);
        }
        return Unpooled.unreleasableBuffer(buf.asReadOnly());
    }

    /** The negotiated frame_max, header and end octet included; 0 for no limit. */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize != 0 && maxFrameSize < AmqpDecoder.MIN_FRAME_SIZE) {
            throw new IllegalArgumentException(
                    "frame_max below " + AmqpDecoder.MIN_FRAME_SIZE + ": " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof AmqpCommand command) {
            writeCommand(ctx, command, promise);
        } else if (msg == AmqpHeartbeat.INSTANCE) {
            ctx.write(HEARTBEAT.duplicate(), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void writeCommand(ChannelHandlerContext ctx, AmqpCommand command,
                              ChannelPromise promise) {
        RecyclableArrayList out = RecyclableArrayList.newInstance();
        try {
            encode(ctx.alloc(), command, out);
            int last = out.size() - 1;
            for (int i = 0; i < last; i++) {
                ctx.write(out.get(i), ctx.voidPromise());
            }
            ctx.write(out.get(last), promise);
        } catch (RuntimeException e) {
            promise.setFailure(e);
        } finally {
            out.recycle();
        }
    }

    /**
     * Encodes {@code command} into buffers added to {@code out}, to be written in order. Takes
     * over the command's references to its header and body.
     *
     * @throws IllegalArgumentException if the method cannot be encoded (a short string over 255
     *                                  bytes, a table value of no AMQP type); nothing is added
     */
    public void encode(ByteBufAllocator alloc, AmqpCommand command, List<Object> out) {
        ContentHeader header = command.header();
        int capacity = HEAD_CAPACITY + (header == null ? 0
                : header.propertiesLength() + Math.min(command.body().readableBytes(), SMALL_BODY));
        ByteBuf head = alloc.ioBuffer(capacity);
        int added = out.size();
        try {
            writeMethodFrame(head, command.channel(), command.method());
            if (header == null) {
                out.add(head);
            } else {
                writeHeaderFrame(head, command.channel(), header, command.body().readableBytes());
                writeBodyFrames(alloc, head, command.channel(), command.body(), out);
            }
        } catch (RuntimeException e) {
            if (out.size() == added) {
                head.release();
            }
            while (out.size() > added) {
                ((ByteBuf) out.remove(out.size() - 1)).release();
            }
            throw e;
        } finally {
            command.release();
        }
    }

    private static void writeMethodFrame(ByteBuf out, int channel, AmqpMethod method) {
        int start = out.writerIndex();
        out.writeByte(FRAME_METHOD).writeShort(channel).writeInt(0);
        out.writeShort(method.classId()).writeShort(method.methodId());
        method.writeArguments(out);
        out.setInt(start + 3, out.writerIndex() - start - FRAME_HEADER_SIZE);
        out.writeByte(FRAME_END);
    }

    /** The body size written is the body's, so the frames always add up to it. */
    private static void writeHeaderFrame(ByteBuf out, int channel, ContentHeader header,
                                         long bodySize) {
        out.writeByte(FRAME_HEADER).writeShort(channel).writeInt(12 + header.propertiesLength());
        out.writeShort(header.classId()).writeShort(header.weight()).writeLong(bodySize);
        header.writePropertiesTo(out);
        out.writeByte(FRAME_END);
    }

    private void writeBodyFrames(ByteBufAllocator alloc, ByteBuf head, int channel, ByteBuf body,
                                 List<Object> out) {
        int offset = body.readerIndex();
        int end = body.writerIndex();
        if (offset == end) {
            out.add(head);
            return;
        }
        int maxPayload = maxFrameSize == 0 ? Integer.MAX_VALUE : maxFrameSize - FRAME_OVERHEAD;
        if (end - offset <= SMALL_BODY && end - offset <= maxPayload) {
            // A small body costs less to copy than to carry as two more buffers through the
            // pipeline and the socket's gather list; larger bodies are never copied.
            head.writeByte(FRAME_BODY).writeShort(channel).writeInt(end - offset);
            head.writeBytes(body, offset, end - offset).writeByte(FRAME_END);
            out.add(head);
            return;
        }
        ByteBuf frameHead = head;
        while (true) {
            int length = Math.min(maxPayload, end - offset);
            frameHead.writeByte(FRAME_BODY).writeShort(channel).writeInt(length);
            out.add(frameHead);
            out.add(body.retainedSlice(offset, length));
            offset += length;
            if (offset == end) {
                out.add(END.duplicate());
                return;
            }
            frameHead = alloc.ioBuffer(FRAME_OVERHEAD).writeByte(FRAME_END);
        }
    }
}
