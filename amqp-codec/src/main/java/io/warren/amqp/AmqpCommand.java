package io.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * A method on a channel, with its content when the method carries one: what the decoder
 * assembles from frames and what the encoder splits into frames.
 *
 * <p>The body may be a composite of retained slices of the received frames, never a copy. An
 * inbound command owns one reference to its header and body; {@link #release()} gives them
 * back. An outbound command hands those references to {@link AmqpEncoder}, which releases them
 * once written and never moves their indices, so one body can go out in many commands:
 * {@code new AmqpCommand(ch, deliver, header.retain(), body.retain())} per delivery.
 *
 * @param header null without content
 * @param body   null without content; empty (not null) for an empty message
 */
public record AmqpCommand(int channel, AmqpMethod method, ContentHeader header, ByteBuf body) {

    public AmqpCommand {
        if (method.hasContent() != (header != null) || (header == null) != (body == null)) {
            throw new IllegalArgumentException(method.name()
                    + (method.hasContent() ? " needs" : " takes no") + " content header and body");
        }
    }

    /** A command without content. */
    public AmqpCommand(int channel, AmqpMethod method) {
        this(channel, method, null, null);
    }

    /** Releases the header and the body, if any. */
    public void release() {
        if (header != null) {
            header.release();
            body.release();
        }
    }
}
