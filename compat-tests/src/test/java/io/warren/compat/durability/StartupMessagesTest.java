package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.compat.WarrenOnly;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start tells the operator: the version, what a first start created, and that the
 * first-start options were ignored when the data dir already has users and virtual hosts (they
 * seed an empty data dir only, like RabbitMQ's default_user; silently ignoring them leaves an
 * operator wondering why the new password does not work).
 */
@WarrenOnly
class StartupMessagesTest {

    private static final String IGNORED = "ignored: the data dir ";

    @TempDir
    Path dataDir;

    @Test
    void versionPrintsTheProjectVersionAndExits() throws Exception {
        String version = System.getProperty("warren.version", "");
        assertFalse(version.isBlank(), "the build does not tell the test the version (warren.version)");
        try (WarrenProcess warren = WarrenProcess.launchWith(List.of("--version"))) {
            assertEquals(0, warren.awaitExit(30), warren.stderr());
            assertEquals("Warren " + version + "\n", warren.stdout());
        }
    }

    @Test
    void firstStartOptionsSeedAnEmptyDataDirAndAreReportedIgnoredAfterwards() throws Exception {
        List<String> common = List.of("--amqp-port", "0", "--http-port", "-1", "--metrics-port", "-1",
                "--data-dir", dataDir.toString());
        try (WarrenProcess first = WarrenProcess.startWith(concat(common, "--default-user", "admin",
                "--default-pass", "s3cret", "--default-vhost", "prod"))) {
            first.stop();
            assertTrue(first.stdout().contains("Warren " + System.getProperty("warren.version") + " starting"),
                    "no version at start:\n" + first.stdout());
            assertTrue(first.stderr().contains("first start: created virtual host 'prod' and user 'admin'"),
                    "the first start does not say what it created:\n" + first.stderr());
            assertFalse(first.stderr().contains(IGNORED), first.stderr());
        }
        try (WarrenProcess again = WarrenProcess.startWith(concat(common, "--default-user", "other",
                "--default-pass", "changed"))) {
            // and they were indeed ignored: the first user still logs in, unchanged
            ConnectionFactory f = again.factory();
            f.setUsername("admin");
            f.setPassword("s3cret");
            f.setVirtualHost("prod");
            f.newConnection().close();
            again.stop();
            String line = again.stderr().lines().filter(l -> l.contains(IGNORED)).findFirst()
                    .orElseThrow(() -> new AssertionError("no warning:\n" + again.stderr()));
            assertTrue(line.contains("[WARN]") && line.contains(" --default-user, --default-pass " + IGNORED
                    + dataDir.toAbsolutePath() + " already has users and virtual hosts"), line);
            assertFalse(again.stderr().contains("first start: created"), again.stderr());
        }
        try (WarrenProcess plain = WarrenProcess.startWith(common)) {
            plain.stop();
            assertFalse(plain.stderr().contains(IGNORED), "a warning without the options:\n" + plain.stderr());
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
