package io.warren.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command prints, with rabbitmqctl's switches: {@code -q} drops the "Listing users ..."
 * banner and informational lines, {@code -s} drops the table header too; {@code --no-table-headers}
 * drops only the header. Columns are tab-separated. With {@code --formatter json} there are no
 * banners, a table is a JSON array of objects (one per line, as rabbitmqctl streams them) and a
 * result line is {@code {"message": ...}}.
 */
final class Output {

    private final PrintWriter out;
    private final boolean quiet;
    private final boolean silent;
    private final boolean json;

    Output(PrintWriter out, boolean quiet, boolean silent, boolean json) {
        this.out = out;
        this.quiet = quiet;
        this.silent = silent;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** "Adding user "x" ...": before the command acts, so it shows even when the command fails. */
    void banner(String line) {
        if (!quiet && !silent && !json) {
            out.println(line);
            out.flush();
        }
    }

    /** A result line that -q and -s keep ("Success", a limits object). */
    void result(String line) {
        out.println(line);
    }

    /** A sentence that ends a command ("Ping succeeded"): as it is, or {"message": ...} in JSON. */
    void message(String line) {
        out.println(json ? Json.write(Map.of("message", line)) : line);
    }

    /** A line -q and -s drop, as add_user's "Done. Don't forget ..." */
    void info(String line) {
        banner(line);
    }

    /** Raw text (an exported definitions file), exactly as given. */
    void raw(String text) {
        out.println(text);
    }

    /**
     * A table of users, vhosts, permissions or limits. With no rows, rabbitmqctl prints one empty
     * line and no header ({@code []} in JSON); a header-less table (list_user_topic_permissions)
     * has a null header.
     */
    void table(List<String> header, List<List<String>> rows, boolean noHeaders) {
        if (json) {
            jsonRows(header, rows, "[]");
            return;
        }
        if (rows.isEmpty()) {
            out.println();
            return;
        }
        rows(header, rows, noHeaders);
    }

    /**
     * Items of the API as a table of the chosen columns: queues, exchanges, bindings, connections,
     * channels, consumers. rabbitmqctl streams those, so no rows print nothing at all (an empty
     * array, "[" and "]" on their own lines, in JSON); JSON cells keep their types.
     */
    void stream(List<String> header, Columns columns, List<Map<String, Object>> items, boolean noHeaders) {
        if (json) {
            jsonRows(header, columns.values(header, items), "[\n]");
        } else if (!items.isEmpty()) {
            rows(header, columns.rows(header, items), noHeaders);
        }
    }

    /** A policy listing: a table, but an empty one prints as rabbitmqctl's (one empty line, or []). */
    void table(List<String> header, Columns columns, List<Map<String, Object>> items, boolean noHeaders) {
        if (json) {
            jsonRows(header, columns.values(header, items), "[]");
        } else {
            table(header, columns.rows(header, items), noHeaders);
        }
    }

    /** rabbitmqctl's JSON list: "[", then one object per line, each after the first led by a comma, then "]". */
    private void jsonRows(List<String> header, List<? extends List<?>> rows, String empty) {
        if (rows.isEmpty()) {
            out.println(empty);
            return;
        }
        out.println("[");
        boolean first = true;
        for (List<?> row : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                o.put(header == null ? String.valueOf(i) : header.get(i), row.get(i));
            }
            out.println((first ? "" : ",") + Json.write(o));
            first = false;
        }
        out.println("]");
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
