package io.warren.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * MVStore value type for message contents and metadata records: length, CRC32C, bytes.
 *
 * <p>MVStore checks the framing of its pages and chunks but not the bytes of the values inside
 * them; the checksum makes a scribbled record fail loudly ({@link ChecksumMismatch}) instead of
 * reaching a client. CRC32C is an intrinsic (SSE4.2/ARMv8), a few hundredths of a microsecond
 * per KiB, and costs 4 bytes per record.
 *
 * <p>Concurrency: stateless; MVStore calls it from any thread.
 */
final class ChecksummedBytesType extends BasicDataType<byte[]> {

    static final ChecksummedBytesType INSTANCE = new ChecksummedBytesType();

    /** A stored record whose bytes no longer match their checksum. */
    static final class ChecksumMismatch extends RuntimeException {
        ChecksumMismatch(String message) {
            super(message);
        }
    }

    private ChecksummedBytesType() {
    }

    @Override
    public int getMemory(byte[] value) {
        return value.length + 24;
    }

    @Override
    public void write(WriteBuffer buffer, byte[] value) {
        buffer.putVarInt(value.length).putInt(crc(value)).put(value);
    }

    @Override
    public byte[] read(ByteBuffer buffer) {
        int length = DataUtils.readVarInt(buffer);
        if (length < 0 || length > buffer.remaining() - 4) {
            throw new ChecksumMismatch("record length " + length + " exceeds its page");
        }
        int expected = buffer.getInt();
        byte[] value = new byte[length];
        buffer.get(value);
        if (crc(value) != expected) {
            throw new ChecksumMismatch("record of " + length + " bytes fails its CRC32C");
        }
        return value;
    }

    @Override
    public byte[][] createStorage(int size) {
        return new byte[size][];
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    private static int crc(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value, 0, value.length);
        return (int) crc.getValue();
    }
}
