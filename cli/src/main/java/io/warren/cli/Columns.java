package io.warren.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The columns a list_* command can show (rabbitmqctl's "info keys"), its default ones, and how a
 * cell is printed. An unknown column is a usage error, as in rabbitmqctl.
 */
class Columns {

    private final List<String> defaults;
    private final List<String> known;

    Columns(List<String> defaults, List<String> known) {
        this.defaults = defaults;
        this.known = known;
    }

    List<String> chosen(List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            return defaults;
        }
        // rabbitmqctl also takes them comma-separated ("name,messages")
        List<String> cols = new ArrayList<>();
        for (String a : asked) {
            for (String c : a.split(",")) {
                if (!c.isBlank()) {
                    cols.add(c.trim());
                }
            }
        }
        List<String> unknown = cols.stream().filter(c -> !known.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw CliException.plain(CliException.USAGE, "Error (argument validation): Info key(s) "
                    + String.join(",", unknown) + " are not supported\nSupported: " + String.join(" ", known));
        }
        return cols;
    }

    List<List<String>> rows(List<String> cols, List<Map<String, Object>> items) {
        List<List<String>> rows = new ArrayList<>(items.size());
        for (Map<String, Object> item : items) {
            List<String> row = new ArrayList<>(cols.size());
            for (String c : cols) {
                row.add(cell(c, item));
            }
            rows.add(row);
        }
        return rows;
    }

    /** The same rows with each cell's JSON value (numbers and booleans stay so), for --formatter json. */
    List<List<Object>> values(List<String> cols, List<Map<String, Object>> items) {
        List<List<Object>> rows = new ArrayList<>(items.size());
        for (Map<String, Object> item : items) {
            List<Object> row = new ArrayList<>(cols.size());
            for (String c : cols) {
                row.add(Values.json(value(c, item)));
            }
            rows.add(row);
        }
        return rows;
    }

    /** A column's value in an item of the API; a column the API names otherwise overrides this. */
    Object value(String column, Map<String, Object> item) {
        return item.get(column);
    }

    String cell(String column, Map<String, Object> item) {
        return Values.cell(value(column, item));
    }
}
