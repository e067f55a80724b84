package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A client in another language (a pika or amqplib script) run as a child process: its output
 * lines can be awaited one by one, its error output is kept for the failure message.
 */
final class ExternalClient implements AutoCloseable {

    /** Where the scripts live, relative to the module (surefire's working directory). */
    static final Path SCRIPTS = Path.of("src", "test");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final List<String> all = new ArrayList<>();

    private ExternalClient(Process process) {
        this.process = process;
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)), true), "client-stdout");
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), false), "client-stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /**
     * Set to true (CI does) to make a missing client fail the tests that need it instead of
     * skipping them: a skipped pika or amqplib test there would hide that nothing was checked.
     */
    static final String REQUIRE_PROPERTY = "compat.requireExternalClients";

    /**
     * Skips the calling test (or test class, from {@code @BeforeAll}) unless {@code available};
     * fails it instead when {@value #REQUIRE_PROPERTY} is true.
     */
    static void assumeInstalled(boolean available, String whatIsMissing) {
        if (available) {
            return;
        }
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            fail(whatIsMissing + ", and -D" + REQUIRE_PROPERTY + "=true requires it");
        }
        Assumptions.abort("skipped: " + whatIsMissing);
    }

    static ExternalClient start(String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(SCRIPTS.toFile());
        return new ExternalClient(pb.start());
    }

    /** Runs {@code command} and answers whether it exited 0 within ten seconds (for availability checks). */
    static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void pump(BufferedReader reader, boolean toLines) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (toLines) {
                    synchronized (all) {
                        all.add(line);
                    }
                    lines.add(line);
                } else {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    /** The next line of output; fails (with the process's error output) after the suite's timeout. */
    String nextLine() throws InterruptedException {
        String line = lines.poll(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(line, () -> "no output from the client within " + CompatTest.TIMEOUT_SECONDS + "s; "
                + describe());
        return line;
    }

    /** The next line of output if one comes within {@code millis}, else null. */
    String pollLine(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for the process to end and checks it exited 0. */
    void assertSucceeds() throws InterruptedException {
        boolean ended = process.waitFor(CompatTest.TIMEOUT_SECONDS * 2L, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertEquals(true, ended, () -> "client still running; " + describe());
        assertEquals(0, process.exitValue(), this::describe);
    }

    String describe() {
        synchronized (all) {
            synchronized (stderr) {
                return "output: " + all + "; errors: " + stderr;
            }
        }
    }

    /**
     * Freezes the process (SIGSTOP): whatever it is doing, it stays in the middle of it until
     * {@link #resume()}, however long the test takes. Its socket stays open, so the broker sees
     * a client that is merely slow.
     */
    void suspend() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a {@linkplain #suspend() suspended} process run on (SIGCONT). */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
        assertEquals(true, kill.waitFor(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS), "kill " + signal + " hangs");
        assertEquals(0, kill.exitValue(), () -> "kill " + signal + " failed; " + describe());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
