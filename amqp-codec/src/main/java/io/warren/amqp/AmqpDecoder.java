package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

import static io.warren.amqp.AmqpCodecUtil.FRAME_BODY;
import static io.warren.amqp.AmqpCodecUtil.FRAME_END;
import static io.warren.amqp.AmqpCodecUtil.FRAME_HEADER;
import static io.warren.amqp.AmqpCodecUtil.FRAME_HEADER_SIZE;
import static io.warren.amqp.AmqpCodecUtil.FRAME_HEARTBEAT;
import static io.warren.amqp.AmqpCodecUtil.FRAME_METHOD;
import static io.warren.amqp.AmqpCodecUtil.FRAME_OVERHEAD;

/**
 * Bytes to {@link AmqpCommand}s and {@link AmqpHeartbeat}s: one per connection, after
 * {@link AmqpProtocolHeaderDecoder}.
 *
 * <p>A state machine over frames: {@code READ_FRAME_HEADER} reads type, channel and size and
 * checks the size; {@code READ_FRAME_PAYLOAD} waits for the payload and the end octet, checks
 * the end octet and the type and hands the frame to the {@link AmqpCommandAssembler}, error
 * texts worded as RabbitMQ's reader words them; {@code BAD_MESSAGE} drops
 * all input after a connection error. Nothing is allocated for a frame until all its bytes are
 * here, so a header announcing 2 GiB costs nothing: the size is checked against
 * {@link #setMaxFrameSize frame_max} first.
 *
 * <p>Errors are not thrown: an {@link AmqpException} is passed down the pipeline as a message,
 * after the commands decoded before it, with {@link AmqpException#channel()} set to the frame's
 * channel. A hard error (501 FRAME_ERROR, 505 UNEXPECTED_FRAME, 503 COMMAND_INVALID...) means
 * the connection must be closed; the decoder releases what it held and ignores further input.
 * The one soft error, 406 PRECONDITION_FAILED for a body over {@link #setMaxBodySize the max
 * body size}, concerns that channel only; decoding goes on.
 *
 * <p>Not thread-safe: call the setters on the channel's event loop (as the broker does when it
 * handles {@code connection.tune-ok}).
 */
public final class AmqpDecoder extends ByteToMessageDecoder {
    /** RabbitMQ's default frame_max. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 131072;
    /** RabbitMQ's default max_message_size (128 MiB). */
    public static final long DEFAULT_MAX_BODY_SIZE = 134217728L;
    /** The spec's smallest frame_max. */
    public static final int MIN_FRAME_SIZE = 4096;

    private enum State { READ_FRAME_HEADER, READ_FRAME_PAYLOAD, BAD_MESSAGE }

    private final AmqpCommandAssembler assembler;
    private State state = State.READ_FRAME_HEADER;
    private int maxFrameSize;
    private int frameType;
    private int frameChannel;
    private int payloadSize;

    public AmqpDecoder() {
        this(DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_BODY_SIZE);
    }

    public AmqpDecoder(int maxFrameSize, long maxBodySize) {
        setMaxFrameSize(maxFrameSize);
        checkMaxBodySize(maxBodySize);
        this.assembler = new AmqpCommandAssembler(maxBodySize);
    }

    /**
     * The largest frame accepted, header and end octet included: the frame_max negotiated by
     * {@code connection.tune}, 0 for no limit.
     */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize != 0 && maxFrameSize < MIN_FRAME_SIZE) {
            throw new IllegalArgumentException(
                    "frame_max below " + MIN_FRAME_SIZE + ": " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Content whose body is at most {@code limit} bytes gets its header properties and (when it
     * comes in one frame) its body copied into exactly-sized arrays, instead of slices that keep
     * the whole read buffer alive for as long as the message lives; -1 (the default) never
     * copies. A copy made here costs less than one made later: no slice is made to be dropped.
     * Persistent content (delivery mode 2) is not copied: the broker copies it once anyway, for
     * its store, and keeps that copy.
     */
    public void copyContentUpTo(int limit) {
        assembler.setCopyLimit(limit);
    }

    /** The largest message body accepted (RabbitMQ's max_message_size). */
    public void setMaxBodySize(long maxBodySize) {
        checkMaxBodySize(maxBodySize);
        assembler.setMaxBodySize(maxBodySize);
    }

    private static void checkMaxBodySize(long maxBodySize) {
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("negative max body size: " + maxBodySize);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case READ_FRAME_HEADER -> {
                // Usually the whole frame is here: go on with its payload in the same call.
                if (decodeFrameHeader(in, out)) {
                    decodeFramePayload(in, out);
                }
            }
            case READ_FRAME_PAYLOAD -> decodeFramePayload(in, out);
            case BAD_MESSAGE -> in.skipBytes(in.readableBytes());
        }
    }

    /** Reads and checks a frame header; true if the payload is to be read next. */
    private boolean decodeFrameHeader(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < FRAME_HEADER_SIZE) {
            return false;
        }
        frameType = in.readUnsignedByte();
        frameChannel = in.readUnsignedShort();
        long size = in.readUnsignedInt();
        if (size > maxPayloadSize()) {
            // RabbitMQ's text, payload unread:
            // "type 3, all octets = <<>>: {frame_too_large,5000,4088}".
            fail(in, out, new AmqpException(ReplyCode.FRAME_ERROR, "type " + frameType
                    + ", all octets = <<>>: {frame_too_large," + size + ","
                    + (maxPayloadSize() - FRAME_OVERHEAD) + "}"));
            return false;
        }
        // An unknown type is reported with its payload, once that is here (it is bounded).
        payloadSize = (int) size;
        state = State.READ_FRAME_PAYLOAD;
        return true;
    }

    /**
     * A frame error in RabbitMQ's words: {@code type 1, all octets = <<0,60,0,80>>: reason}, with
     * the payload's first 16 octets when it is longer (rabbit_reader's frame_error).
     */
    private AmqpException frameError(ByteBuf in, int start, String reason) {
        return new AmqpException(ReplyCode.FRAME_ERROR, describeFrame(in, start) + ": " + reason);
    }

    private String describeFrame(ByteBuf in, int start) {
        int shown = Math.min(payloadSize, 16);
        StringBuilder text = new StringBuilder("type ").append(frameType)
                .append(payloadSize <= 16 ? ", all octets = <<" : ", first 16 octets = <<");
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(in.getUnsignedByte(start + i));
        }
        return text.append(">>").toString();
    }

    /**
     * RabbitMQ lets a payload reach frame_max itself rather than frame_max - 8, "since quite a
     * few clients get it wrong" (rabbit_reader's FRAME_SIZE_FUDGE); so do we.
     */
    private long maxPayloadSize() {
        return maxFrameSize == 0 ? Integer.MAX_VALUE - FRAME_OVERHEAD : maxFrameSize;
    }

    private void decodeFramePayload(ByteBuf in, List<Object> out) {
        if (in.readableBytes() <= payloadSize) {
            return;
        }
        int start = in.readerIndex();
        int end = start + payloadSize;
        int endOctet = in.getUnsignedByte(end);
        if (endOctet != FRAME_END) {
            fail(in, out, frameError(in, start, "{invalid_frame_end_marker," + endOctet + "}"));
            return;
        }
        // Bound the buffer to this payload, so that reading past it fails instead of reading the
        // next frame, without allocating a slice.
        int writerIndex = in.writerIndex();
        in.writerIndex(end);
        Object message;
        try {
            message = decodeFrame(in, start);
        } catch (AmqpException e) {
            message = e.withChannel(frameChannel);
        } catch (RuntimeException e) {
            // A bug of ours, not the peer's: still only a typed error leaves the decoder.
            message = new AmqpException(ReplyCode.INTERNAL_ERROR, "decoder failure: " + e)
                    .withChannel(frameChannel);
        } finally {
            in.writerIndex(writerIndex);
        }
        if (message instanceof AmqpException e && e.replyCode().hardError()) {
            fail(in, out, e);
            return;
        }
        in.readerIndex(end + 1);
        state = State.READ_FRAME_HEADER;
        if (message != null) {
            out.add(message);
        }
    }

    /**
     * One frame's payload. As RabbitMQ's analyze_frame: a frame of an unknown type, or too short
     * for what its type must hold (a heartbeat must be empty), is an "unknown_frame".
     */
    private Object decodeFrame(ByteBuf in, int start) {
        switch (frameType) {
            case FRAME_METHOD:
                if (payloadSize < 4) {
                    throw frameError(in, start, "unknown_frame");
                }
                return assembler.onMethod(frameChannel, in);
            case FRAME_HEADER:
                if (payloadSize < 14) {
                    throw frameError(in, start, "unknown_frame");
                }
                return assembler.onHeader(frameChannel, in);
            case FRAME_BODY:
                return assembler.onBody(frameChannel, in, start, payloadSize, in.alloc());
            case FRAME_HEARTBEAT:
                if (payloadSize != 0) {
                    throw frameError(in, start, "unknown_frame");
                }
                if (frameChannel != 0) {
                    // As RabbitMQ: a heartbeat on a channel is an unexpected frame.
                    throw new AmqpException(ReplyCode.UNEXPECTED_FRAME, describeFrame(in, start));
                }
                return AmqpHeartbeat.INSTANCE;
            default:
                throw frameError(in, start, "unknown_frame");
        }
    }

    /** A connection error: emit it, release what is held and ignore the rest of the input. */
    private void fail(ByteBuf in, List<Object> out, AmqpException e) {
        assembler.releaseAll();
        state = State.BAD_MESSAGE;
        in.skipBytes(in.readableBytes());
        out.add(e.withChannel(frameChannel));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        assembler.releaseAll();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            assembler.releaseAll();
        }
    }
}
