package io.warren.broker.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RabbitMQ's query parameters on a list ({@code rabbit_mgmt_util}'s sort, pagination and
 * columns), applied to the objects a list endpoint built:
 * <ul>
 *   <li>{@code sort} (a field, dotted for a nested one: {@code message_stats.publish}) and
 *       {@code sort_reverse}; without {@code sort}, by vhost then name, as RabbitMQ lists;</li>
 *   <li>{@code page} (from 1), {@code page_size} (1..500, default 100), {@code name} (a
 *       case-insensitive substring, or with {@code use_regex=true} a case-insensitive regular
 *       expression): with {@code page}, the answer is RabbitMQ's page object (filtered_count,
 *       item_count, items, page, page_count, page_size, total_count); without it, the plain list
 *       and {@code name} is ignored, as in RabbitMQ;</li>
 *   <li>{@code columns=a,b.c}: each item keeps only those fields (nested ones by path).</li>
 * </ul>
 * Bindings, users and consumers are sorted and projected but never paged ({@link #unpaged}),
 * as in RabbitMQ.
 */
final class Listing {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 500;
    private static final List<String> DEFAULT_SORT = List.of("vhost", "name");

    private Listing() {}

    /** The list or page to answer for {@code items} (maps), under the request's parameters. */
    static Object of(List<Object> items, Map<String, List<String>> query) {
        List<Object> sorted = sort(items, param(query, "sort"), "true".equals(param(query, "sort_reverse")));
        String page = param(query, "page");
        List<String> columns = columns(param(query, "columns"));
        if (page == null) {
            return project(sorted, columns);
        }
        return page(sorted, page, param(query, "page_size"), param(query, "name"),
                "true".equals(param(query, "use_regex")), columns);
    }

    /** Sort and columns only: the lists RabbitMQ does not paginate (bindings, users, consumers). */
    static List<Object> unpaged(List<Object> items, Map<String, List<String>> query) {
        return project(sort(items, param(query, "sort"), "true".equals(param(query, "sort_reverse"))),
                columns(param(query, "columns")));
    }

    private static String param(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    /** RabbitMQ's page object: its items are projected already, the page itself never is. */
    private static final class Page extends LinkedHashMap<String, Object> {
    }

    /**
     * A 200 answer under {@code columns=}, which RabbitMQ applies to every answer, objects
     * included: a list's items or the object keep only those fields ({@code body} unchanged
     * without the parameter, or for a page, whose items {@link #of} projected).
     */
    static Object projectAnswer(Object body, String columnsParam) {
        List<String> columns = columns(columnsParam == null || columnsParam.isEmpty() ? null : columnsParam);
        if (columns == null || body instanceof Page) {
            return body;
        }
        if (body instanceof List<?> list) {
            return project(new ArrayList<>(list), columns);
        }
        return body instanceof Map<?, ?> m ? project(m, columns) : body;
    }

    private static Map<String, Object> page(List<Object> items, String pageText, String sizeText, String name,
                                            boolean regex, List<String> columns) {
        int page;
        int size;
        try {
            page = Integer.parseInt(pageText);
            size = sizeText == null ? DEFAULT_PAGE_SIZE : Integer.parseInt(sizeText);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("Pagination parameters are invalid");
        }
        if (page < 1 || size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiError.badRequest("invalid_pagination_parameters", "Invalid pagination parameters: page number "
                    + page + ", page size " + (sizeText == null ? "undefined" : size));
        }
        List<Object> filtered = name == null ? items : filter(items, name, regex);
        long from = (long) (page - 1) * size;
        if (from > filtered.size()) {
            throw ApiError.badRequest("page_out_of_range", "Page out of range, page: " + page + " page size: "
                    + size + ", len: " + filtered.size());
        }
        List<Object> shown = project(filtered.subList((int) from, (int) Math.min(filtered.size(), from + size)),
                columns);
        Map<String, Object> out = new Page();
        out.put("filtered_count", filtered.size());
        out.put("item_count", shown.size());
        out.put("items", shown);
        out.put("page", page);
        out.put("page_count", (filtered.size() + size - 1) / size);
        out.put("page_size", size);
        out.put("total_count", items.size());
        return out;
    }

    private static List<Object> filter(List<Object> items, String name, boolean regex) {
        java.util.function.Predicate<String> matches;
        if (regex) {
            Pattern p;
            try {
                p = Pattern.compile(name, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw ApiError.badRequest("Pagination parameters are invalid");
            }
            matches = s -> p.matcher(s).find();
        } else {
            String lower = name.toLowerCase(Locale.ROOT);
            matches = s -> s.toLowerCase(Locale.ROOT).contains(lower);
        }
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            Object n = item instanceof Map<?, ?> m ? m.get("name") : null;
            if (n != null && matches.test(String.valueOf(n))) {
                out.add(item);
            }
        }
        return out;
    }

    /** Sorted on keys read once per item (not once per comparison: a list can hold 100k queues). */
    private static List<Object> sort(List<Object> items, String sort, boolean reverse) {
        List<String[]> keys = new ArrayList<>();
        for (String key : sort == null ? DEFAULT_SORT : List.of(sort)) {
            keys.add(key.split("\\."));
        }
        List<Object[]> decorated = new ArrayList<>(items.size());
        for (Object item : items) {
            Object[] row = new Object[keys.size() + 1];
            for (int k = 0; k < keys.size(); k++) {
                row[k] = at(item, keys.get(k));
            }
            row[keys.size()] = item;
            decorated.add(row);
        }
        Comparator<Object[]> order = (a, b) -> {
            for (int k = 0; k < a.length - 1; k++) {
                int c = compare(a[k], b[k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        decorated.sort(reverse ? order.reversed() : order);
        List<Object> out = new ArrayList<>(items.size());
        for (Object[] row : decorated) {
            out.add(row[row.length - 1]);
        }
        return out;
    }

    /** The value at a path of field names, or null. */
    private static Object at(Object item, String[] path) {
        Object v = item;
        for (String part : path) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(part);
        }
        return v;
    }

    /** Missing values first, then numbers, booleans, text (Erlang's order puts numbers first too). */
    private static int compare(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return a == null ? 0 : String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static int rank(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number) {
            return 1;
        }
        return v instanceof Boolean ? 2 : 3;
    }

    private static List<String> columns(String text) {
        if (text == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String c : text.split(",")) {
            if (!c.isBlank()) {
                out.add(c.strip());
            }
        }
        return out;
    }

    private static List<Object> project(List<Object> items, List<String> columns) {
        if (columns == null) {
            return items;
        }
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(item instanceof Map<?, ?> m ? project(m, columns) : item);
        }
        return out;
    }

    /** Keeps the named fields; "a.b" keeps a with only its b (a itself, possibly empty, when a is an object). */
    private static Map<String, Object> project(Map<?, ?> item, List<String> columns) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String column : columns) {
            String[] parts = column.split("\\.");
            Object v = item.get(parts[0]);
            if (v == null && !item.containsKey(parts[0])) {
                continue;
            }
            if (parts.length == 1) {
                out.put(parts[0], v);
            } else if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> into = out.get(parts[0]) instanceof Map<?, ?> m
                        ? (Map<String, Object>) m : new LinkedHashMap<>();
                into.putAll(project(nested, List.of(column.substring(parts[0].length() + 1))));
                out.put(parts[0], into);
            }
        }
        return out;
    }
}
