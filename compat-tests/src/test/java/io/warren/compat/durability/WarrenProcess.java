package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Warren broker in its own process on a data directory, so that a test can kill it the way
 * an operator or the kernel would: {@link #kill()} is SIGKILL, {@link #stop()} SIGTERM (the
 * broker's shutdown hook closes it cleanly).
 *
 * <p>It runs {@code java -jar} on the shaded jar named by the system property
 * {@code warren.broker.jar} (the compat-tests pom sets it) when that jar exists and is newer
 * than the compiled broker; otherwise (a {@code mvn test} without {@code package}) the same
 * main class from this JVM's class path, so that the test never runs yesterday's broker.
 *
 * <p>Concurrency: one test thread; two daemon threads copy the child's stdout and stderr.
 */
public final class WarrenProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Warren listening on AMQP port (\\d+)");
    private static final String MAIN = "io.warren.broker.Main";

    private final Process process;
    /**
     * Launched through a wrapper ({@link #launchAs}): the broker is the wrapper's child, and
     * once the wrapper has exited a reparented broker is no longer among its descendants; so
     * they are remembered while the wrapper lives, to be killed too.
     */
    private final boolean wrapped;
    private final Set<ProcessHandle> descendantsSeen = ConcurrentHashMap.newKeySet();
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread stdoutCopier;
    private final Thread stderrCopier;

    private WarrenProcess(Process process, boolean wrapped) {
        this.process = process;
        this.wrapped = wrapped;
        stdoutCopier = copy(process.getInputStream(), stdout, true);
        stderrCopier = copy(process.getErrorStream(), stderr, false);
    }

    /** Starts a broker on {@code dataDir} and waits until it listens. */
    static WarrenProcess start(Path dataDir) throws Exception {
        return start(dataDir, "256m");
    }

    /** Starts a broker with the given maximum heap ({@code -Xmx}) and waits until it listens. */
    static WarrenProcess start(Path dataDir, String maxHeap) throws Exception {
        WarrenProcess w = launch(dataDir, maxHeap);
        Integer p = null;
        try {
            p = w.port.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // reported below
        }
        if (p == null) {
            String threads = w.threadDump();
            w.kill();
            throw new AssertionError("Warren did not start on " + dataDir + "; stderr:\n"
                    + w.stderr() + "\nthreads:\n" + threads);
        }
        return w;
    }

    /** Starts a broker on {@code dataDir} without waiting: for starts that must fail. */
    static WarrenProcess launch(Path dataDir) throws IOException {
        return launch(dataDir, "256m");
    }

    private static WarrenProcess launch(Path dataDir, String maxHeap) throws IOException {
        return launch(List.of(), null, maxHeap, List.of("--amqp-port", "0", "--data-dir", dataDir.toString(),
                "--http-port", "-1", "--metrics-port", "-1"));
    }

    /** Starts a broker with exactly these arguments and waits until it listens. */
    public static WarrenProcess startWith(List<String> args) throws Exception {
        WarrenProcess w = launchWith(args);
        if (w.port.get(60, TimeUnit.SECONDS) == null) {
            throw new AssertionError("Warren did not start with " + args + "; stderr:\n" + w.stderr());
        }
        return w;
    }

    /** Runs the broker's main with exactly these arguments, without waiting. */
    static WarrenProcess launchWith(List<String> args) throws IOException {
        return launch(List.of(), null, "256m", args);
    }

    /**
     * Runs the broker's main as another user, through {@code runAs} (for example
     * {@code runuser -u nobody --}), without waiting. That user may not read this JVM's class
     * path (a local Maven repository under /root): {@code classPathCopy} is an empty directory
     * that user can read, where the class path's jars are copied when the shaded jar is not used.
     */
    static WarrenProcess launchAs(List<String> runAs, Path classPathCopy, List<String> args) throws IOException {
        return launch(runAs, classPathCopy, "256m", args);
    }

    private static WarrenProcess launch(List<String> runAs, Path classPathCopy, String maxHeap, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(runAs);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        Path jar = freshJar();
        if (jar != null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            // the broker's own logging (logback.xml), as the jar has it: not the tests'
            // logback-test.xml, which this class path also holds and which would send the
            // child's log to this JVM's target/warren-test.log
            java.net.URL brokerLogging = WarrenProcess.class.getClassLoader().getResource("logback.xml");
            if (brokerLogging != null) {
                command.add("-Dlogback.configurationFile=" + brokerLogging);
            }
            command.add("-cp");
            command.add(classPathCopy == null ? System.getProperty("java.class.path") : copyClassPath(classPathCopy));
            command.add(MAIN);
        }
        command.addAll(args);
        return new WarrenProcess(new ProcessBuilder(command).start(), !runAs.isEmpty());
    }

    /** Copies the class path's jars into {@code dir} (directories stay where they are); answers the new path. */
    private static String copyClassPath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p)) {
                Path copy = dir.resolve((n++) + "-" + p.getFileName());
                Files.copy(p, copy);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    public int port() {
        return port.join();
    }

    ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("localhost");
        f.setPort(port());
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        f.setConnectionTimeout(10_000);
        f.setShutdownTimeout(2_000);
        f.setRequestedHeartbeat(60);
        return f;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The process's resident set size from /proc, in bytes (-1 when unreadable). */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** SIGKILL, and waits for the process (and a wrapper's broker) to be gone. */
    public void kill() throws InterruptedException {
        killAll();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGKILL did not end Warren");
        for (ProcessHandle descendant : descendantsSeen) {
            try {
                descendant.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("SIGKILL did not end " + descendant.pid() + " (started by Warren's wrapper)", e);
            }
        }
    }

    /** SIGTERM (the shutdown hook closes the broker), and waits for a clean exit. */
    void stop() throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our ends of the child's
        // stdout and stderr, losing what it prints while it shuts down.
        process.toHandle().destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not end Warren");
        awaitOutput();
        // 143 = 128 + SIGTERM: the JVM exits so after running its shutdown hooks
        assertTrue(process.exitValue() == 143 || process.exitValue() == 0,
                "Warren exited with " + process.exitValue() + " on SIGTERM; stderr:\n" + stderr());
    }

    /**
     * SIGKILL to the process and its descendants: launched through a wrapper ({@link #launchAs}),
     * the broker is the wrapper's child and would outlive it.
     */
    private void killAll() {
        rememberDescendants();
        descendantsSeen.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Keeps the wrapper's descendants, for {@link #killAll()} once it may be gone. */
    private void rememberDescendants() {
        process.descendants().forEach(descendantsSeen::add);
    }

    /** Waits for the process to end by itself; answers its exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            killAll();
            throw new AssertionError("Warren still runs after " + seconds + " s; stdout:\n"
                    + stdout() + "\nstderr:\n" + stderr());
        }
        awaitOutput();
        return process.exitValue();
    }

    /** Once the process has ended: waits (bounded) until all it wrote has been copied. */
    private void awaitOutput() throws InterruptedException {
        stdoutCopier.join(10_000);
        stderrCopier.join(10_000);
    }

    /** The child's threads (jcmd Thread.print), for a start that hangs. */
    private String threadDump() {
        if (!process.isAlive()) {
            return "(exited with " + process.exitValue() + ")";
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()),
                    "Thread.print").redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    public String stdout() {
        return stdout.toString();
    }

    public String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() || descendantsSeen.stream().anyMatch(ProcessHandle::isAlive)) {
            kill();
        }
    }

    private Thread copy(InputStream in, StringBuffer into, boolean watchForPort) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (wrapped) {
                        // the broker writes, so it runs: under the wrapper, unless that is gone
                        rememberDescendants();
                    }
                    into.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (watchForPort && m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            port.complete(null);
        }, "warren-" + (watchForPort ? "stdout" : "stderr"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The shaded jar, if it exists and is not older than any compiled class of the modules on
     * this class path (else null: run the classes).
     */
    private static Path freshJar() {
        String configured = System.getProperty("warren.broker.jar", "");
        if (configured.isBlank() || !Files.isRegularFile(Path.of(configured))) {
            return null;
        }
        Path jar = Path.of(configured);
        try {
            long jarTime = Files.getLastModifiedTime(jar).toMillis();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path dir = Path.of(entry);
                if (!Files.isDirectory(dir) || !dir.endsWith(Path.of("target", "classes"))) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    boolean newer = files.anyMatch(f -> modified(f) > jarTime);
                    if (newer) {
                        return null;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
