package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.warren.compat.WarrenOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A start on a damaged store, or on one another broker holds, fails: the process exits with 1
 * and one line on stderr naming the file and what to do, without a stack trace; it never comes
 * up as an empty broker (a durable queue silently gone is the worst outcome).
 */
@WarrenOnly
class DamagedStoreTest {

    private static final String STORE = "warren.mv.db";

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"truncated-to-half", "truncated-to-the-header", "end-overwritten",
            "headers-overwritten", "file-deleted"})
    void aDamagedStoreStopsTheStartWithOneClearLine(String damage) throws Exception {
        fill();
        Path file = dataDir.resolve(STORE);
        damage(file, damage);
        String stderr = failedStart();
        assertTrue(stderr.contains(file.toAbsolutePath().toString()), "the file is not named:\n" + stderr);
        assertTrue(stderr.contains("is corrupted"), stderr);
        assertTrue(stderr.contains("Restore it"), "no way out is given:\n" + stderr);
    }

    @Test
    void aStoreHeldByAnotherBrokerStopsTheStart() throws Exception {
        try (WarrenProcess first = WarrenProcess.start(dataDir)) {
            String stderr = failedStart();
            assertTrue(stderr.contains(dataDir.resolve(STORE).toAbsolutePath().toString()), stderr);
            assertTrue(stderr.contains("is locked by another process"), stderr);
            first.stop();
        }
    }

    /** A durable queue with persistent messages, then a clean stop. */
    private void fill() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            try (Connection c = warren.factory().newConnection()) {
                Channel ch = c.createChannel();
                ch.queueDeclare("precious", true, false, false, null);
                ch.confirmSelect();
                byte[] body = new byte[2048];
                for (int i = 0; i < 500; i++) {
                    ch.basicPublish("", "precious", MessageProperties.PERSISTENT_BASIC, body);
                }
                ch.waitForConfirmsOrDie(30_000);
            }
            warren.stop();
        }
    }

    /** Starts Warren on the data directory, expects exit code 1, answers its stderr. */
    private String failedStart() throws Exception {
        try (WarrenProcess warren = WarrenProcess.launch(dataDir)) {
            int code = warren.awaitExit(60);
            String stderr = warren.stderr();
            assertEquals(1, code, "exit code; stderr:\n" + stderr);
            assertFalse(warren.stdout().contains("listening"), "it started:\n" + warren.stdout());
            assertFalse(stderr.contains("\tat "), "a stack trace instead of a message:\n" + stderr);
            String line = stderr.lines().filter(l -> l.startsWith("warren: ")).findFirst().orElse("");
            assertFalse(line.isEmpty(), "no 'warren: ' line:\n" + stderr);
            return line;
        }
    }

    private static void damage(Path file, String how) throws IOException {
        if (how.equals("file-deleted")) {
            Files.delete(file);
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            assertTrue(size > 64 * 1024, "a store this small tests little: " + size);
            switch (how) {
                case "truncated-to-half" -> ch.truncate(size / 2);
                case "truncated-to-the-header" -> ch.truncate(8192);
                case "end-overwritten" -> scribble(ch, size - 16384, 16384);
                case "headers-overwritten" -> scribble(ch, 0, 8192);
                default -> throw new IllegalArgumentException(how);
            }
        }
    }

    private static void scribble(FileChannel ch, long at, int length) throws IOException {
        byte[] noise = new byte[length];
        new Random(7).nextBytes(noise);
        ch.write(ByteBuffer.wrap(noise), at);
    }
}
