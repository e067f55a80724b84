package io.warren.amqp;

/**
 * A field-table unsigned 16-bit integer (field type {@code u}, 0..65535). A distinct type so that
 * re-encoding keeps the {@code u} tag.
 */
public record UnsignedShort(int value) {
    public UnsignedShort {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("unsigned short out of range: " + value);
        }
    }
}
