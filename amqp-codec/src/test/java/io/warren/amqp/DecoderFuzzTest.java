package io.warren.amqp;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.warren.amqp.TestFrames.body;
import static io.warren.amqp.TestFrames.bytes;
import static io.warren.amqp.TestFrames.concat;
import static io.warren.amqp.TestFrames.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random and mutated input never gets anything but commands, heartbeats and typed errors out of
 * the decoder: no other exception, no error after a connection error, no hang, no allocation of
 * what a frame merely declares, no leak (the leak check runs after this class too).
 *
 * <p>Reproducible: a fixed seed, and a failure names the case and prints its input.
 */
class DecoderFuzzTest {
    private static final long SEED = 0x5EED_0091L;
    /** Methods without content: those with content come with a header and body below. */
    private static final List<AmqpMethod> METHODS =
            MethodSamples.all().stream().filter(m -> !m.hasContent()).toList();
    private static final byte[][] PROPERTIES = {
            raw(BasicProperties.EMPTY), raw(MethodSamples.fullProperties()),
            raw(new BasicProperties("text/plain", null, null, 2, null, null, null, "1000", null, null, null, null,
                    null, null))};

    private static byte[] raw(BasicProperties properties) {
        ContentHeader header = ContentHeader.of(60, properties, 0);
        byte[] bytes = ByteBufUtil.getBytes(header.rawProperties());
        header.release();
        return bytes;
    }

    @Test
    void mutatedValidTrafficYieldsOnlyCommandsHeartbeatsAndTypedErrors() {
        Random random = new Random(SEED);
        Stats stats = new Stats();
        for (int i = 0; i < 4000; i++) {
            byte[] input = mutate(validTraffic(random), random);
            run("mutated #" + i, input, random, stats);
        }
        // The mutations reach every layer, not just the frame header check.
        assertTrue(stats.commands > 1000, stats.toString());
        assertTrue(stats.errors.contains(ReplyCode.FRAME_ERROR), stats.toString());
        assertTrue(stats.errors.contains(ReplyCode.UNEXPECTED_FRAME), stats.toString());
        assertTrue(stats.errors.contains(ReplyCode.COMMAND_INVALID), stats.toString());
        assertTrue(stats.errors.contains(ReplyCode.PRECONDITION_FAILED), stats.toString());
    }

    @Test
    void validTrafficDecodesWithoutError() {
        Random random = new Random(SEED + 1);
        Stats stats = new Stats();
        for (int i = 0; i < 300; i++) {
            run("valid #" + i, validTraffic(random), random, stats, AmqpDecoder.DEFAULT_MAX_BODY_SIZE);
        }
        assertTrue(stats.errors.isEmpty(), stats.toString());
    }

    @Test
    void randomBytesYieldOnlyTypedErrors() {
        Random random = new Random(SEED + 2);
        Stats stats = new Stats();
        for (int i = 0; i < 2000; i++) {
            // A plausible frame start half of the time, so that some get past the header check.
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            if (random.nextBoolean() && noise.length > 7) {
                noise[0] = (byte) new int[] {1, 2, 3, 8}[random.nextInt(4)];
                noise[1] = 0;
                noise[3] = noise[4] = 0;
            }
            run("random #" + i, noise, random, stats);
        }
    }

    @Test
    void framesDeclaringHugeSizesAllocateNothingForThem() {
        for (long size : new long[] {0x7FFF_FFF0L, 0xFFFF_FFFFL, 0x8000_0000L, 0x00FF_FFFFL}) {
            byte[] frameHeader = bytes(3, 0, 1, (int) (size >>> 24), (int) (size >>> 16), (int) (size >>> 8), (int) size);
            for (int frameMax : new int[] {AmqpDecoder.DEFAULT_MAX_FRAME_SIZE, 0}) {
                CountingAllocator allocator = new CountingAllocator();
                EmbeddedChannel channel = new EmbeddedChannel();
                channel.config().setAllocator(allocator);
                channel.pipeline().addLast(new AmqpDecoder(frameMax, AmqpDecoder.DEFAULT_MAX_BODY_SIZE));
                for (int i = 0; i < 100; i++) {
                    ByteBuf chunk = allocator.buffer(100).writeBytes(i == 0 ? frameHeader : new byte[100]);
                    channel.writeInbound(chunk);
                }
                List<Object> out = TestFrames.readAll(channel);
                if (frameMax != 0 || size > Integer.MAX_VALUE - 8) {
                    assertEquals(1, out.size(), "refused from the header alone");
                    assertEquals(ReplyCode.FRAME_ERROR, ((AmqpException) out.get(0)).replyCode());
                } else {
                    assertTrue(out.isEmpty(), "no limit: still waiting for the payload");
                }
                assertTrue(allocator.largest < 64 * 1024, "largest buffer asked for: " + allocator.largest);
                channel.finishAndReleaseAll();
            }
        }
        // A body size of 2^63-1 in a content header: refused (406) without allocating it.
        List<Object> out = TestFrames.feed(TestFrames.decoderChannel(),
                concat(TestFrames.publish(1, "rk"), header(1, Long.MAX_VALUE)), false);
        assertEquals(ReplyCode.PRECONDITION_FAILED, ((AmqpException) out.get(0)).replyCode());
    }

    /** Feeds {@code input} in random chunks and checks every output. */
    private static void run(String name, byte[] input, Random random, Stats stats) {
        run(name, input, random, stats, random.nextBoolean() ? 150 : AmqpDecoder.DEFAULT_MAX_BODY_SIZE);
    }

    private static void run(String name, byte[] input, Random random, Stats stats, long maxBodySize) {
        EmbeddedChannel channel = new EmbeddedChannel(new AmqpDecoder(random.nextBoolean() ? 4096 : 131072, maxBodySize));
        List<Object> out = new ArrayList<>();
        try {
            for (int offset = 0; offset < input.length; ) {
                int length = Math.min(input.length - offset, 1 + random.nextInt(64));
                channel.writeInbound(Unpooled.wrappedBuffer(input, offset, length));
                offset += length;
                out.addAll(TestFrames.readAll(channel));
            }
            channel.finish();
            out.addAll(TestFrames.readAll(channel));
            check(out, stats);
        } catch (Throwable t) {
            fail(name + " (seed " + SEED + ") failed on input " + ByteBufUtil.hexDump(input), t);
        } finally {
            TestFrames.release(out);
            channel.finishAndReleaseAll();
        }
    }

    private static void check(List<Object> out, Stats stats) {
        for (int i = 0; i < out.size(); i++) {
            Object m = out.get(i);
            if (m instanceof AmqpCommand command) {
                stats.commands++;
                assertEquals(command.method().hasContent(), command.header() != null);
                if (command.header() != null) {
                    assertEquals(command.header().bodySize(), command.body().readableBytes());
                    exerciseHeader(command.header());
                }
            } else if (m instanceof AmqpException e) {
                stats.errors.add(e.replyCode());
                assertNotEquals(ReplyCode.INTERNAL_ERROR, e.replyCode(), e.getMessage());
                if (e.replyCode().hardError()) {
                    assertEquals(out.size() - 1, i, "nothing after a connection error");
                }
            } else if (m != AmqpHeartbeat.INSTANCE) {
                fail("unexpected output " + m);
            }
        }
    }

    /** The lazy accessors may refuse malformed properties, but only with an AmqpException. */
    private static void exerciseHeader(ContentHeader header) {
        try {
            header.deliveryMode();
            header.priority();
            header.expiration();
            header.headers();
            header.properties();
        } catch (AmqpException e) {
            assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
        }
    }

    private static byte[] validTraffic(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int commands = 1 + random.nextInt(6);
        for (int i = 0; i < commands; i++) {
            int channel = random.nextInt(4);
            switch (random.nextInt(4)) {
                case 0 -> out.writeBytes(TestFrames.heartbeat());
                case 1 -> out.writeBytes(TestFrames.method(channel, METHODS.get(random.nextInt(METHODS.size()))));
                default -> out.writeBytes(content(channel, random));
            }
        }
        return out.toByteArray();
    }

    private static byte[] content(int channel, Random random) {
        AmqpMethod method = random.nextBoolean()
                ? new BasicMethod.Publish("ex", "rk." + random.nextInt(100), false, false)
                : new BasicMethod.Deliver("ctag", random.nextLong(), true, "ex", "rk");
        byte[] body = new byte[random.nextInt(300)];
        random.nextBytes(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TestFrames.method(channel, method));
        out.writeBytes(header(channel, 60, body.length, PROPERTIES[random.nextInt(PROPERTIES.length)]));
        for (int offset = 0; offset < body.length; ) {
            int length = Math.min(body.length - offset, 1 + random.nextInt(120));
            byte[] fragment = new byte[length];
            System.arraycopy(body, offset, fragment, 0, length);
            out.writeBytes(body(channel, fragment));
            offset += length;
        }
        return out.toByteArray();
    }

    private static byte[] mutate(byte[] input, Random random) {
        byte[] out = input.clone();
        int at = random.nextInt(out.length);
        switch (random.nextInt(7)) {
            case 0, 1 -> {
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                // a huge length wherever a length might be
                int value = new int[] {0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, 0x00FF_FFFF, 0x0001_0000}[random.nextInt(5)];
                for (int k = 0; k < 4 && at + k < out.length; k++) {
                    out[at + k] = (byte) (value >>> (24 - 8 * k));
                }
            }
            case 3 -> out = java.util.Arrays.copyOf(out, at);
            case 4 -> {
                byte[] noise = new byte[1 + random.nextInt(8)];
                random.nextBytes(noise);
                out = concat(java.util.Arrays.copyOf(out, at), noise, java.util.Arrays.copyOfRange(out, at, out.length));
            }
            case 5 -> {
                int end = Math.min(out.length, at + 1 + random.nextInt(16));
                out = concat(java.util.Arrays.copyOf(out, at), java.util.Arrays.copyOfRange(out, end, out.length));
            }
            default -> {
                int end = Math.min(out.length, at + 1 + random.nextInt(64));
                out = concat(java.util.Arrays.copyOf(out, end), java.util.Arrays.copyOfRange(out, at, out.length));
            }
        }
        return out;
    }

    private static final class Stats {
        int commands;
        final java.util.Set<ReplyCode> errors = java.util.EnumSet.noneOf(ReplyCode.class);

        @Override
        public String toString() {
            return commands + " commands, errors " + errors;
        }
    }

    /** Remembers the largest buffer asked for. */
    private static final class CountingAllocator extends AbstractByteBufAllocator {
        int largest;

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return PooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return PooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return true;
        }
    }
}
