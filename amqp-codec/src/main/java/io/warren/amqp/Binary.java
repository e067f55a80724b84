package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.Arrays;

/**
 * A field-table byte array (field type {@code x}). It is its own type, not {@code byte[]}, so
 * that decoded tables compare by content (a headers exchange matches on equality) and stay
 * immutable. {@code byte[]} values are still accepted when encoding.
 */
public final class Binary {
    private static final Binary EMPTY = new Binary(new byte[0]);

    private final byte[] bytes;

    private Binary(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Binary of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Binary(bytes.clone());
    }

    static Binary read(ByteBuf in, int length) {
        if (length == 0) {
            return EMPTY;
        }
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return new Binary(bytes);
    }

    void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binary other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The bytes in hex, for logs. */
    @Override
    public String toString() {
        return "Binary[" + ByteBufUtil.hexDump(bytes) + "]";
    }
}
