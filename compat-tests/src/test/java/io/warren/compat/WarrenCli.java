package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.cli.Warren;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** The {@code warren} command run in this JVM against a management API, as the CLI tests call it. */
final class WarrenCli {

    /** What a command printed and its exit code. */
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private final String base;

    WarrenCli(String base) {
        this.base = base;
    }

    /** Runs {@code warren --url <the API> args...}. */
    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--url";
        all[1] = base;
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = Warren.run(new PrintWriter(out), new PrintWriter(err), all);
        return new Result(exit, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
    }

    /** Runs a command that must succeed. */
    Result ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r);
        return r;
    }
}
