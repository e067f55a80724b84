package io.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * An AMQP 0-9-1 method with its arguments: one sealed family per class, one record per method
 * (for example {@link BasicMethod.Publish}). Record components are the spec's fields in spec
 * order, reserved ones included as {@code reserved1}, {@code reserved2}; bits are
 * {@code boolean}, octets and shorts {@code int}, longs {@code int}, long-longs {@code long},
 * short strings {@link String}, long strings {@link LongString} and tables
 * {@code Map<String, Object>} (see {@link FieldTables}). Null strings and tables are taken as
 * empty.
 */
public sealed interface AmqpMethod
        permits ConnectionMethod, ChannelMethod, AccessMethod, ExchangeMethod, QueueMethod,
        BasicMethod, TxMethod, ConfirmMethod {

    int classId();

    int methodId();

    /** The spec's name, like {@code "queue.declare"}. */
    String name();

    /** True for the methods followed by a content header and body. */
    default boolean hasContent() {
        return false;
    }

    /**
     * Writes the arguments (not the class and method ids) as the spec lays them out, consecutive
     * bits packed into one octet.
     *
     * @throws IllegalArgumentException if a short string is longer than 255 bytes or a table
     *                                  holds a value of no AMQP type
     */
    void writeArguments(ByteBuf out);
}
