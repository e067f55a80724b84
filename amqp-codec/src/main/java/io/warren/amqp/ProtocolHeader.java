package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The 8 octets a client sends first: {@code "AMQP"} then protocol id and version. For AMQP 0-9-1
 * that is {@code AMQP 0 0 9 1}; AMQP 1.0 uses {@code AMQP 0 1 0 0} (bare), {@code AMQP 2 1 0 0}
 * (TLS) and {@code AMQP 3 1 0 0} (SASL). Other bytes (an HTTP request, a TLS hello) are kept as
 * received too, so a seam can tell what came.
 */
public record ProtocolHeader(long octets) {
    public static final ProtocolHeader AMQP_0_9_1 = of('A', 'M', 'Q', 'P', 0, 0, 9, 1);
    public static final ProtocolHeader AMQP_1_0 = of('A', 'M', 'Q', 'P', 0, 1, 0, 0);
    public static final ProtocolHeader AMQP_1_0_TLS = of('A', 'M', 'Q', 'P', 2, 1, 0, 0);
    public static final ProtocolHeader AMQP_1_0_SASL = of('A', 'M', 'Q', 'P', 3, 1, 0, 0);

    /** The length of a protocol header. */
    public static final int LENGTH = 8;

    private static final int AMQP = 'A' << 24 | 'M' << 16 | 'Q' << 8 | 'P';

    private static ProtocolHeader of(int... octets) {
        long value = 0;
        for (int octet : octets) {
            value = value << 8 | octet;
        }
        return new ProtocolHeader(value);
    }

    /** Reads 8 octets. */
    public static ProtocolHeader read(ByteBuf in) {
        return new ProtocolHeader(in.readLong());
    }

    /** Writes the 8 octets. */
    public void writeTo(ByteBuf out) {
        out.writeLong(octets);
    }

    /** True if it starts with {@code "AMQP"}. */
    public boolean isAmqp() {
        return (int) (octets >>> 32) == AMQP;
    }

    /** The protocol id octet (0 for 0-9-1 and bare 1.0, 3 for 1.0 SASL). */
    public int protocolId() {
        return octet(4);
    }

    public int major() {
        return octet(5);
    }

    public int minor() {
        return octet(6);
    }

    public int revision() {
        return octet(7);
    }

    private int octet(int index) {
        return (int) (octets >>> (8 * (7 - index))) & 0xFF;
    }

    /** {@code "AMQP 0 0 9 1"}, or the octets in hex when it is not an AMQP header. */
    @Override
    public String toString() {
        if (isAmqp()) {
            return "AMQP " + protocolId() + " " + major() + " " + minor() + " " + revision();
        }
        byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            bytes[i] = (byte) octet(i);
        }
        return String.format("%016x (\"%s\")", octets,
                new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", "."));
    }
}
