package io.warren.amqp;

/**
 * A field-table unsigned octet (field type {@code B}, 0..255). A distinct type so that a table
 * decoded and encoded again keeps the {@code B} tag instead of becoming {@code b} or {@code I}.
 */
public record UnsignedByte(int value) {
    public UnsignedByte {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("unsigned byte out of range: " + value);
        }
    }
}
