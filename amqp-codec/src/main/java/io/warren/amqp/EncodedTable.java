package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.ref.WeakReference;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * A large decoded field table that keeps only its bytes. Decoded, a table costs the heap about
 * twenty times its size on the wire (an entry, a key string and its array per field), and a
 * table is kept as long as what carries it: a queue's or a binding's arguments, a message's
 * headers. A client sending frames full of small fields could otherwise fill the heap twenty
 * times faster than it sends. This one costs its bytes; its decoded form is rebuilt when read
 * and kept only until the next garbage collection.
 *
 * <p>Unmodifiable, in wire order, equal to any map with the same entries; written back byte for
 * byte. Built by {@link FieldTables} only, after the table decoded without error.
 *
 * <p>Concurrency: immutable; threads racing on a collected decoded form each rebuild it.
 */
final class EncodedTable extends AbstractMap<String, Object> {

    /** The fields, without the table's length prefix. */
    private final byte[] fields;
    private final int size;
    private volatile WeakReference<Map<String, Object>> decoded;

    EncodedTable(byte[] fields, Map<String, Object> decodedNow) {
        this.fields = fields;
        this.size = decodedNow.size();
        this.decoded = new WeakReference<>(decodedNow);
    }

    private Map<String, Object> decoded() {
        Map<String, Object> m = decoded.get();
        if (m == null) {
            m = FieldTables.readFields(Unpooled.wrappedBuffer(fields), fields.length, 0);
            decoded = new WeakReference<>(m);
        }
        return m;
    }

    /** The table as on the wire: its length, then its fields. */
    void writeTo(ByteBuf out) {
        out.writeInt(fields.length).writeBytes(fields);
    }

    int encodedSize() {
        return 4 + fields.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return decoded().entrySet();
    }

    @Override
    public Object get(Object key) {
        return decoded().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return decoded().containsKey(key);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }
}
