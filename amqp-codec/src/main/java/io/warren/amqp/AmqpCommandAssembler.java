package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * Joins frames into commands, channel by channel, as RabbitMQ's
 * {@code rabbit_command_assembler} does: a method frame; for a method with content, then a
 * content header of the same class and body frames adding up exactly to its body size. Content
 * of different channels may interleave; each channel has its own state.
 *
 * <p>Errors follow RabbitMQ: a frame of the wrong kind for the channel's state is
 * {@link ReplyCode#UNEXPECTED_FRAME}, with its texts; a body frame longer than the rest of the
 * body is {@link ReplyCode#FRAME_ERROR}. A body larger than the max body size is RabbitMQ's
 * channel error {@link ReplyCode#PRECONDITION_FAILED}: the command is dropped and its body
 * frames are skipped, so the connection can go on.
 *
 * <p>Cost: one {@link Slot} per channel ever used, reused for every command, in an array
 * indexed by channel (most connections use channel 1 only). A body of one frame is a retained
 * slice of it; a body of several is a composite of such slices, never a copy.
 */
final class AmqpCommandAssembler {
    private static final int EXPECT_METHOD = 0;
    private static final int EXPECT_HEADER = 1;
    private static final int EXPECT_BODY = 2;
    /** After an oversize header: skip the body frames of the dropped command. */
    private static final int DISCARD_BODY = 3;

    /** The assembly state of one channel. */
    private static final class Slot {
        int state = EXPECT_METHOD;
        AmqpMethod method;
        ContentHeader header;
        ByteBuf body;
        boolean composite;
        /** the content is small enough to be copied out of the read buffers */
        boolean copy;
        long remaining;

        void clear() {
            state = EXPECT_METHOD;
            method = null;
            header = null;
            body = null;
            composite = false;
            copy = false;
        }
    }

    private Slot[] slots = new Slot[2];
    private long maxBodySize;
    private int copyLimit = -1;

    AmqpCommandAssembler(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    /** See {@link AmqpDecoder#copyContentUpTo}. */
    void setCopyLimit(int copyLimit) {
        this.copyLimit = copyLimit;
    }

    void setMaxBodySize(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    /** A method frame's payload; returns the command if the method has no content, else null. */
    AmqpCommand onMethod(int channel, ByteBuf payload) {
        Slot slot = channel < slots.length ? slots[channel] : null;
        if (slot != null && slot.state != EXPECT_METHOD) {
            if (slot.state != DISCARD_BODY) {
                throw unexpected(slot);
            }
            // The rest of a refused message never came; the broker is closing this channel and
            // will ignore what follows, so stop skipping.
            slot.clear();
        }
        AmqpMethod method = AmqpMethodTable.read(payload);
        if (!method.hasContent()) {
            return new AmqpCommand(channel, method);
        }
        slot = slot(channel);
        slot.method = method;
        slot.state = EXPECT_HEADER;
        return null;
    }

    /** A content header frame's payload (at least 14 bytes); returns the command if bodyless. */
    AmqpCommand onHeader(int channel, ByteBuf payload) {
        Slot slot = channel < slots.length ? slots[channel] : null;
        if (slot == null || slot.state != EXPECT_HEADER) {
            throw unexpected(slot);
        }
        int index = payload.readerIndex();
        int classId = payload.getUnsignedShort(index);
        int weight = payload.getUnsignedShort(index + 2);
        long bodySize = payload.getLong(index + 4);
        AmqpMethod method = slot.method;
        if (weight != 0) {
            throw unexpected(slot);
        }
        if (classId != method.classId()) {
            throw new AmqpException(ReplyCode.UNEXPECTED_FRAME, "expected content header for class "
                    + method.classId() + ", got one for class " + classId + " instead",
                    method.classId(), method.methodId());
        }
        // Unsigned: a body size of 2^63 or more is negative here, and larger than any limit.
        if (Long.compareUnsigned(bodySize, maxBodySize) > 0) {
            slot.clear();
            slot.state = DISCARD_BODY;
            slot.remaining = bodySize < 0 ? Long.MAX_VALUE : bodySize;
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "message size "
                    + Long.toUnsignedString(bodySize) + " is larger than configured max size "
                    + maxBodySize, method.classId(), method.methodId());
        }
        boolean copy = bodySize >= 0 && bodySize <= copyLimit;
        ContentHeader header = ContentHeader.read(payload, copy);
        copy &= !header.persistentMode();
        if (bodySize == 0) {
            slot.clear();
            return new AmqpCommand(channel, method, header, Unpooled.EMPTY_BUFFER);
        }
        slot.header = header;
        slot.copy = copy;
        slot.remaining = bodySize;
        slot.state = EXPECT_BODY;
        return null;
    }

    /**
     * A body frame: {@code length} bytes of {@code in} at {@code index}. Returns the command
     * when this frame completes its body.
     */
    AmqpCommand onBody(int channel, ByteBuf in, int index, int length, ByteBufAllocator alloc) {
        Slot slot = channel < slots.length ? slots[channel] : null;
        if (slot != null && slot.state == DISCARD_BODY) {
            slot.remaining -= length;
            if (slot.remaining <= 0) {
                slot.clear();
            }
            return null;
        }
        if (slot == null || slot.state != EXPECT_BODY) {
            throw unexpected(slot);
        }
        if (length > slot.remaining) {
            throw new AmqpException(ReplyCode.FRAME_ERROR,
                    "content body frame exceeds remaining content size",
                    slot.method.classId(), slot.method.methodId());
        }
        if (length == 0) {
            return null;
        }
        if (slot.copy && slot.body == null && length == slot.remaining) {
            // the whole small body in one frame, as nearly always: one exact array, and the read
            // buffer is not kept by a slice (a body over several frames is sliced, as a big one)
            slot.body = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(in, index, length, true));
        } else {
            append(slot, in.retainedSlice(index, length), alloc);
        }
        slot.remaining -= length;
        if (slot.remaining > 0) {
            return null;
        }
        AmqpCommand command = new AmqpCommand(channel, slot.method, slot.header, slot.body);
        slot.clear();
        return command;
    }

    private static void append(Slot slot, ByteBuf fragment, ByteBufAllocator alloc) {
        if (slot.body == null) {
            slot.body = fragment;
            return;
        }
        if (!slot.composite) {
            // No limit on components: past the limit a composite consolidates, i.e. copies.
            CompositeByteBuf composite = alloc.compositeBuffer(Integer.MAX_VALUE);
            composite.addComponent(true, slot.body);
            slot.body = composite;
            slot.composite = true;
        }
        ((CompositeByteBuf) slot.body).addComponent(true, fragment);
    }

    private Slot slot(int channel) {
        if (channel >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(channel + 1, Math.min(slots.length * 2, 65536)));
        }
        Slot slot = slots[channel];
        if (slot == null) {
            slot = new Slot();
            slots[channel] = slot;
        }
        return slot;
    }

    /** RabbitMQ's texts for a frame the channel's state does not allow. */
    private static AmqpException unexpected(Slot slot) {
        int state = slot == null ? EXPECT_METHOD : slot.state;
        AmqpMethod method = slot == null ? null : slot.method;
        String text = switch (state) {
            case EXPECT_HEADER -> "expected content header for class " + method.classId()
                    + ", got non content header frame instead";
            case EXPECT_BODY -> "expected content body, got non content body frame instead";
            default -> "expected method frame, got non method frame instead";
        };
        return method == null
                ? new AmqpException(ReplyCode.UNEXPECTED_FRAME, text)
                : new AmqpException(ReplyCode.UNEXPECTED_FRAME, text, method.classId(),
                        method.methodId());
    }

    /** Releases every partly assembled command. */
    void releaseAll() {
        for (Slot slot : slots) {
            if (slot != null) {
                if (slot.header != null) {
                    slot.header.release();
                }
                if (slot.body != null) {
                    slot.body.release();
                }
                slot.clear();
            }
        }
    }
}
