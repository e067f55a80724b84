package io.warren.amqp;

/**
 * A protocol error, raised where it is found and carrying what {@code connection.close} or
 * {@code channel.close} needs: the reply code, the reply text, and the class and method that
 * caused it (0 when no method did).
 *
 * <p>The decoder never throws it: it passes it down the pipeline as a message, after the commands
 * decoded before it, with {@link #channel()} set to the channel of the offending frame. A
 * {@linkplain ReplyCode#hardError() hard} code means the connection must be closed; a soft one
 * (the decoder only raises {@link ReplyCode#PRECONDITION_FAILED}, for an oversize message)
 * closes that channel only.
 *
 * <p>It records no stack trace: it reports a peer's mistake, not a bug of ours, and a peer can
 * provoke it at will, so it should cost no more than an ordinary object.
 */
public final class AmqpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ReplyCode replyCode;
    private final String replyText;
    private final int classId;
    private final int methodId;
    private final int channel;

    public AmqpException(ReplyCode replyCode, String replyText) {
        this(replyCode, replyText, 0, 0, 0);
    }

    public AmqpException(ReplyCode replyCode, String replyText, int classId, int methodId) {
        this(replyCode, replyText, classId, methodId, 0);
    }

    private AmqpException(ReplyCode replyCode, String replyText, int classId, int methodId,
                          int channel) {
        super(replyCode.name() + " - " + replyText, null, false, false);
        this.replyCode = replyCode;
        this.replyText = replyText;
        this.classId = classId;
        this.methodId = methodId;
        this.channel = channel;
    }

    public ReplyCode replyCode() {
        return replyCode;
    }

    /**
     * The explanation without the code name. {@link #getMessage()} is the text RabbitMQ puts in
     * {@code reply-text}: the code name, {@code " - "}, then this.
     */
    public String replyText() {
        return replyText;
    }

    /** The class of the method that caused the error, or 0. */
    public int classId() {
        return classId;
    }

    /** The method that caused the error, or 0. */
    public int methodId() {
        return methodId;
    }

    /** The channel the error belongs to; 0 for connection-level errors. */
    public int channel() {
        return channel;
    }

    /** The same error on another channel. */
    public AmqpException withChannel(int channel) {
        return channel == this.channel
                ? this
                : new AmqpException(replyCode, replyText, classId, methodId, channel);
    }
}
