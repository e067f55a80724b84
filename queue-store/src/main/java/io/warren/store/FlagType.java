package io.warren.store;

import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * MVStore value type of a queue entry: one byte, the "delivered" mark.
 *
 * <p>Concurrency: stateless.
 */
final class FlagType extends BasicDataType<Boolean> {

    static final FlagType INSTANCE = new FlagType();

    private FlagType() {
    }

    @Override
    public int getMemory(Boolean value) {
        return 0; // the two Boolean instances are shared
    }

    @Override
    public void write(WriteBuffer buffer, Boolean value) {
        buffer.put(value ? (byte) 1 : (byte) 0);
    }

    @Override
    public Boolean read(ByteBuffer buffer) {
        return buffer.get() != 0;
    }

    @Override
    public Boolean[] createStorage(int size) {
        return new Boolean[size];
    }

    @Override
    public int compare(Boolean a, Boolean b) {
        return Boolean.compare(a, b);
    }
}
