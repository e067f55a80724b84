package io.warren.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * What a command prints, with rabbitmqctl's switches: {@code -q} drops the "Listing users ..."
 * banner and informational lines, {@code -s} drops the table header too; {@code --no-table-headers}
 * drops only the header. Columns are tab-separated.
 */
final class Output {

    private final PrintWriter out;
    private final boolean quiet;
    private final boolean silent;

    Output(PrintWriter out, boolean quiet, boolean silent) {
        this.out = out;
        this.quiet = quiet;
        this.silent = silent;
    }

    /** "Adding user "x" ...": before the command acts, so it shows even when the command fails. */
    void banner(String line) {
        if (!quiet && !silent) {
            out.println(line);
            out.flush();
        }
    }

    /** A result line that -q and -s keep ("Success", a limits object). */
    void result(String line) {
        out.println(line);
    }

    /** A line -q and -s drop, as add_user's "Done. Don't forget ..." */
    void info(String line) {
        banner(line);
    }

    /**
     * A table of users, vhosts, permissions or limits. With no rows, rabbitmqctl prints one empty
     * line and no header; a header-less table (list_user_topic_permissions) has a null header.
     */
    void table(List<String> header, List<List<String>> rows, boolean noHeaders) {
        if (rows.isEmpty()) {
            out.println();
            return;
        }
        rows(header, rows, noHeaders);
    }

    /** A table of queues, exchanges or connections: rabbitmqctl streams those, so no rows print nothing at all. */
    void stream(List<String> header, List<List<String>> rows, boolean noHeaders) {
        if (!rows.isEmpty()) {
            rows(header, rows, noHeaders);
        }
    }

    private void rows(List<String> header, List<List<String>> rows, boolean noHeaders) {
        if (header != null && !silent && !noHeaders) {
            out.println(String.join("\t", header));
        }
        for (List<String> row : rows) {
            out.println(String.join("\t", row));
        }
    }
}
