package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Decoding and encoding one basic.publish with its header and body, the hot path of a broker.
 * Run it (about a minute) with:
 * <pre>
 * mvn -q -pl amqp-codec test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath org.openjdk.jmh.Main AmqpCodecBenchmark"
 * </pre>
 * Decoding calls the decoder's {@code decode} directly, as ByteToMessageDecoder does, on a
 * pooled direct buffer like a socket read; no pipeline around it. Encoding produces the buffers a
 * write would send.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.warren.amqp.AmqpCodecBenchmark$EventLoopThreads"})
public class AmqpCodecBenchmark {

    /**
     * Runs the benchmark on Netty threads, as the codec runs on event loops: Netty recycles
     * buffer slices only on its own (FastThreadLocal) threads.
     */
    public static final class EventLoopThreads extends ThreadPoolExecutor {
        public EventLoopThreads(int maxThreads, String prefix) {
            super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                    new DefaultThreadFactory(prefix));
        }
    }

    @Param({"16", "1024"})
    int bodySize;

    private final BasicMethod.Publish publish =
            new BasicMethod.Publish("amq.direct", "orders.created", false, false);
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<Object> out = new ArrayList<>();
    private final AmqpDecoder decoder = new AmqpDecoder();
    private final AmqpEncoder encoder = new AmqpEncoder();
    private ByteBuf input;
    private ContentHeader header;
    private ByteBuf body;

    @Setup
    public void setUp() {
        BasicProperties properties = new BasicProperties("application/json", null, null, 2, null,
                null, null, null, null, null, null, null, null, null);
        header = ContentHeader.of(60, properties, bodySize);
        body = alloc.directBuffer(bodySize).writeZero(bodySize);
        encoder.encode(alloc, new AmqpCommand(1, publish, header.retain(), body.retain()), out);
        input = alloc.directBuffer();
        for (Object o : out) {
            input.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        out.clear();
    }

    @TearDown
    public void tearDown() {
        input.release();
        header.release();
        body.release();
    }

    @Benchmark
    public Object decode(Blackhole blackhole) {
        input.readerIndex(0);
        while (input.isReadable()) {
            decoder.decode(null, input, out);
        }
        AmqpCommand command = (AmqpCommand) out.get(0);
        out.clear();
        blackhole.consume(command.header().deliveryMode());
        command.release();
        return command.method();
    }

    @Benchmark
    public int encode() {
        encoder.encode(alloc, new AmqpCommand(1, publish, header.retain(), body.retain()), out);
        int buffers = out.size();
        for (Object o : out) {
            ((ByteBuf) o).release();
        }
        out.clear();
        return buffers;
    }
}
