package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warren.compat.WarrenOnly;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A start that cannot succeed for a reason the operator must fix (a port taken, a bad --bind, a
 * data dir it may not use) exits with 1 and one line on stderr saying what and where, without a
 * stack trace.
 */
@WarrenOnly
class StartFailureTest {

    enum Listener {
        AMQP("--amqp-port", "AMQP"), HTTP_API("--http-port", "HTTP API"), METRICS("--metrics-port", "metrics");

        final String flag;
        final String name;

        Listener(String flag, String name) {
            this.flag = flag;
            this.name = name;
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Listener.class)
    void aPortInUseNamesTheListenerAndThePort(Listener busy) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            int port = taken.getLocalPort();
            List<String> args = new ArrayList<>(List.of("--no-persistence"));
            for (Listener l : Listener.values()) {
                args.addAll(List.of(l.flag, l == busy ? Integer.toString(port) : "0"));
            }
            String line = failedStart(args);
            assertTrue(line.contains("cannot listen for " + busy.name + " on 0.0.0.0:" + port), line);
            assertTrue(line.contains("already in use"), line);
            assertTrue(line.contains(busy.flag), "the option to change is not named: " + line);
        }
    }

    @Test
    void aBindAddressThatIsNoAddressIsNamed() throws Exception {
        String line = failedStart(List.of("--no-persistence", "--amqp-port", "0", "--bind", "999.1.1.1"));
        assertTrue(line.contains("cannot listen for AMQP on 999.1.1.1:0"), line);
        assertTrue(line.contains("'999.1.1.1' is not a known host name or address (check --bind)"), line);
    }

    @Test
    void aBindAddressOfAnotherHostIsNamed() throws Exception {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine
        String line = failedStart(List.of("--no-persistence", "--amqp-port", "0", "--bind", "192.0.2.1"));
        assertTrue(line.contains("192.0.2.1 is not an address of this host (check --bind)"), line);
    }

    @Test
    void aDataDirThroughARegularFileIsNamed() throws Exception {
        Path file = Files.createFile(dir.resolve("a-file"));
        String line = failedStart(List.of("--amqp-port", "0", "--http-port", "-1", "--metrics-port", "-1",
                "--data-dir", file.resolve("data").toString()));
        assertTrue(line.contains(file.toAbsolutePath() + " is a file, not a directory"), line);
        assertFalse(line.contains("corrupted"), line);
    }

    /**
     * A data dir (or store file) the broker's user may not write is a permission problem, not a
     * corrupted store: saying "corrupted, restore a backup or move it aside" would send the
     * operator to throw away a healthy store. Root may write anything, so as root the broker runs
     * as nobody; as another user, the directory or file is made read-only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"data-dir", "store-file"})
    void anUnwritableDataDirIsAPermissionProblem(String readOnly) throws Exception {
        boolean root = System.getProperty("user.name").equals("root");
        Path runuser = Path.of("/usr/sbin/runuser");
        assumeTrue(!root || Files.isExecutable(runuser),
                "running as root without runuser: no way to be denied a directory; not tested");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectory(dir.resolve("data"));
        Path denied = data;
        if (readOnly.equals("store-file")) {
            try (WarrenProcess first = WarrenProcess.start(data)) {
                first.stop();
            }
            denied = data.resolve("warren.mv.db");
            assertTrue(Files.isRegularFile(denied), "no store file after a first start");
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(root ? "rwxrwxrwx" : "rwxr-xr-x"));
        }
        List<String> args = List.of("--amqp-port", "0", "--http-port", "-1", "--metrics-port", "-1",
                "--data-dir", data.toString());
        String user;
        WarrenProcess warren;
        if (root) {
            // as root: the directory (or file) stays root's, the broker runs as nobody
            user = "nobody";
            Path classPath = Files.createDirectory(dir.resolve("classpath"));
            warren = WarrenProcess.launchAs(List.of(runuser.toString(), "-u", user, "--"), classPath, args);
        } else {
            user = System.getProperty("user.name");
            Files.setPosixFilePermissions(denied, PosixFilePermissions.fromString(
                    readOnly.equals("store-file") ? "r--r--r--" : "r-xr-xr-x"));
            warren = WarrenProcess.launchWith(args);
        }
        String line = failedStart(warren);
        assertTrue(line.contains("Permission denied: Warren, running as user '" + user + "'"), line);
        assertTrue(line.contains(denied.toAbsolutePath().toString()), "the path is not named: " + line);
        assertFalse(line.contains("corrupted"), line);
    }

    private static String failedStart(List<String> args) throws Exception {
        return failedStart(WarrenProcess.launchWith(args));
    }

    /** Expects the start to fail with exit code 1; answers its one "warren: " line. */
    private static String failedStart(WarrenProcess started) throws Exception {
        try (WarrenProcess warren = started) {
            int code = warren.awaitExit(60);
            String stderr = warren.stderr();
            assertEquals(1, code, "exit code; stderr:\n" + stderr);
            assertFalse(warren.stdout().contains("listening"), "it started:\n" + warren.stdout());
            assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"),
                    "a stack trace instead of a message:\n" + stderr);
            List<String> lines = stderr.lines().filter(l -> l.startsWith("warren: cannot start: ")).toList();
            assertEquals(1, lines.size(), "not one 'warren: cannot start: ' line:\n" + stderr);
            return lines.get(0);
        }
    }
}
