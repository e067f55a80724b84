package io.warren.amqp;

/**
 * A field-table unsigned 32-bit integer (field type {@code i}, 0..2^32-1). A distinct type so
 * that re-encoding keeps the {@code i} tag.
 */
public record UnsignedInt(long value) {
    public UnsignedInt {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("unsigned int out of range: " + value);
        }
    }
}
