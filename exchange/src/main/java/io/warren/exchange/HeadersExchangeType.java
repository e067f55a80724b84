package io.warren.exchange;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * headers: a binding matches on the message's headers table, as RabbitMQ's
 * rabbit_exchange_type_headers does.
 *
 * <ul>
 *   <li>{@code x-match} (absent means all): {@code all} needs every binding argument matched,
 *       {@code any} at least one; {@code all-with-x} / {@code any-with-x} also count arguments
 *       whose name starts with "x-", which the plain forms ignore. {@code x-match} itself never
 *       counts. Any other x-match value, or one that is not a string, is refused at bind time.</li>
 *   <li>An argument matches when the header is present with the same value
 *       ({@link HeaderValues#same}); an argument of type void (null) matches on presence alone.</li>
 *   <li>So an {@code all} binding with nothing left to compare matches every message, an
 *       {@code any} one none; a message without headers matches only the former.</li>
 * </ul>
 *
 * <p>Routing costs one pass over the bindings (as in RabbitMQ), each a few map lookups, with the
 * arguments to compare extracted at bind time.
 */
public final class HeadersExchangeType implements ExchangeType {

    public static final String NAME = "headers";
    static final String X_MATCH = "x-match";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BindingTable newTable(ExchangeDefinition definition) {
        return new Table();
    }

    @Override
    public void validateBinding(Binding binding) {
        mode(binding.arguments());
    }

    /** The x-match mode: 0 all, 1 any, 2 all-with-x, 3 any-with-x. */
    static int mode(Map<String, Object> arguments) {
        if (!arguments.containsKey(X_MATCH)) {
            return 0;
        }
        Object value = arguments.get(X_MATCH);
        String text = Arguments.text(value);
        if (text == null) {
            throw new InvalidBindingException("Invalid x-match field type " + typeName(value)
                    + " (value " + value + "); expected longstr");
        }
        return switch (text) {
            case "all" -> 0;
            case "any" -> 1;
            case "all-with-x" -> 2;
            case "any-with-x" -> 3;
            default -> throw new InvalidBindingException("Invalid x-match field value \"" + text
                    + "\"; expected all, any, all-with-x, or any-with-x");
        };
    }

    private static String typeName(Object value) {
        return value == null ? "void" : value.getClass().getSimpleName();
    }

    /** A binding compiled for matching: the arguments that count, as parallel arrays. */
    private static final class Rule extends SlotList.Element {
        final Edge edge;
        final boolean any;
        final String[] keys;
        final Object[] values;

        Rule(Edge edge) {
            this.edge = edge;
            Map<String, Object> arguments = edge.arguments();
            int mode = mode(arguments);
            this.any = mode == 1 || mode == 3;
            boolean withX = mode >= 2;
            int n = 0;
            String[] k = new String[arguments.size()];
            Object[] v = new Object[arguments.size()];
            for (Map.Entry<String, Object> e : arguments.entrySet()) {
                String name = e.getKey();
                if (name.equals(X_MATCH) || (!withX && name.startsWith("x-"))) {
                    continue;
                }
                k[n] = name;
                v[n++] = e.getValue();
            }
            this.keys = Arrays.copyOf(k, n);
            this.values = Arrays.copyOf(v, n);
        }

        boolean matches(Map<String, Object> headers) {
            for (int i = 0; i < keys.length; i++) {
                boolean hit = matches(headers, keys[i], values[i]);
                if (hit == any) {
                    return any; // first hit decides any, first miss decides all
                }
            }
            return !any;
        }

        private static boolean matches(Map<String, Object> headers, String key, Object bound) {
            if (headers == null) {
                return false;
            }
            Object actual = headers.get(key);
            if (actual == null && !headers.containsKey(key)) {
                return false;
            }
            return bound == null || HeaderValues.same(bound, actual);
        }
    }

    /** Concurrency: one {@link SlotList} of compiled rules, lock-free for readers. */
    private static final class Table implements BindingTable {
        private final SlotList<Rule> rules = new SlotList<>();
        private final HashMap<Edge, Rule> byEdge = new HashMap<>(); // writer

        @Override
        public void add(Edge edge) {
            Rule rule = new Rule(edge);
            byEdge.put(edge, rule);
            rules.add(rule);
        }

        @Override
        public void remove(Edge edge) {
            rules.remove(byEdge.remove(edge));
        }

        @Override
        public void match(RoutableMessage message, EdgeSink sink) {
            Object[] array = rules.array();
            if (array.length == 0) {
                return;
            }
            Map<String, Object> headers = message.headers();
            for (int i = 0; i < array.length; i++) {
                Rule rule = SlotList.at(array, i);
                if (rule != null && rule.matches(headers)) {
                    sink.accept(rule.edge);
                }
            }
        }
    }
}
