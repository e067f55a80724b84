package io.warren.amqp;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a leaked ByteBuf fail the build instead of printing a log line nobody reads.
 *
 * <p>Before any test touches a buffer, it installs a leak detector factory (Netty creates its
 * ByteBuf detector once, when the buffer classes load) whose detectors record leaks. After each
 * test class, {@link LeakCheck} collects garbage, allocates a few tracked buffers (detection
 * happens on allocation) and fails if anything leaked. Surefire runs with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 */
public final class LeakDetectionListener implements LauncherSessionListener {
    private static final List<String> LEAKS = new ArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation") // the abstract method Netty still calls
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                    Class<T> resource, int samplingInterval, long maxActive) {
                return new RecordingDetector<>(resource, samplingInterval);
            }
        });
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType + " leaked:" + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(resourceType + " leaked (no records)");
        }

        private static void record(String leak) {
            synchronized (LEAKS) {
                LEAKS.add(leak);
            }
        }
    }

    /** Fails the test class after which a leak shows up. */
    public static final class LeakCheck implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws InterruptedException {
            List<String> leaks = collectLeaks();
            if (!leaks.isEmpty()) {
                throw new AssertionError(leaks.size() + " ByteBuf leak(s) after "
                        + context.getDisplayName() + ":\n" + String.join("\n", leaks));
            }
        }
    }

    /** Collects garbage, lets the detector report, and returns (and forgets) the leaks. */
    static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            // Leaks are reported when the detector tracks a new buffer.
            for (int i = 0; i < 50; i++) {
                ByteBufAllocator.DEFAULT.buffer(8).release();
                UnpooledByteBufAllocator.DEFAULT.heapBuffer(8).release();
            }
        }
        synchronized (LEAKS) {
            List<String> leaks = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return leaks;
        }
    }
}
