package io.warren.exchange;

import static io.warren.exchange.Routing.declare;
import static io.warren.exchange.Routing.routeSorted;
import static io.warren.exchange.Routing.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersExchangeTest {

    /** Stands in for the codec's LongString: text only through toString(), equal by content. */
    record Text(String value) {
        @Override
        public String toString() {
            return value;
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private final Topology<String> t = topology("q");

    private boolean matches(Map<String, Object> bindingArgs, Map<String, Object> headers) {
        declare(t, "h", "headers");
        Binding b = new Binding("h", DestinationKind.QUEUE, "q", "", bindingArgs);
        assertEquals(BindResult.CREATED, t.bind(b));
        boolean routed = !routeSorted(t, "h", "any-key", headers).isEmpty();
        t.unbind(b);
        return routed;
    }

    @Test
    void allNeedsEveryArgument() {
        Map<String, Object> all = map("x-match", "all", "a", 1, "b", "two");
        assertEquals(true, matches(all, map("a", 1, "b", "two", "c", 3)));
        assertEquals(false, matches(all, map("a", 1)));
        assertEquals(false, matches(all, map("a", 1, "b", "three")));
        assertEquals(false, matches(all, null));
        assertEquals(true, matches(map("a", 1, "b", "two"), map("a", 1, "b", "two")), "all is the default");
        assertEquals(false, matches(map("a", 1, "b", "two"), map("a", 1)), "all is the default");
    }

    @Test
    void anyNeedsOneArgument() {
        Map<String, Object> any = map("x-match", "any", "a", 1, "b", "two");
        assertEquals(true, matches(any, map("a", 1)));
        assertEquals(true, matches(any, map("a", 0, "b", "two")));
        assertEquals(false, matches(any, map("a", 0, "b", "three")));
        assertEquals(false, matches(any, map()));
        assertEquals(false, matches(any, null));
    }

    @Test
    void nothingToCompareMatchesEverythingForAllAndNothingForAny() {
        assertEquals(true, matches(map(), null));
        assertEquals(true, matches(map("x-match", "all"), map("a", 1)));
        assertEquals(true, matches(map("x-match", "all", "x-ignored", 1), map()));
        assertEquals(false, matches(map("x-match", "any"), map("a", 1)));
        assertEquals(false, matches(map("x-match", "any", "x-ignored", 1), map("x-ignored", 1)));
    }

    @Test
    void xPrefixedArgumentsCountOnlyInTheWithXForms() {
        assertEquals(true, matches(map("x-match", "all", "x-a", 1, "b", 2), map("b", 2)));
        assertEquals(false, matches(map("x-match", "all-with-x", "x-a", 1, "b", 2), map("b", 2)));
        assertEquals(true, matches(map("x-match", "all-with-x", "x-a", 1, "b", 2), map("x-a", 1, "b", 2)));
        assertEquals(false, matches(map("x-match", "any", "x-a", 1), map("x-a", 1)));
        assertEquals(true, matches(map("x-match", "any-with-x", "x-a", 1), map("x-a", 1)));
        // x-match itself never counts, even in the -with-x forms
        assertEquals(true, matches(map("x-match", "all-with-x"), map()));
        assertEquals(false, matches(map("x-match", "any-with-x"), map("x-match", "any-with-x")));
    }

    @Test
    void voidArgumentMatchesOnPresence() {
        Map<String, Object> presence = map("x-match", "all", "flag", null);
        assertEquals(true, matches(presence, map("flag", "whatever")));
        assertEquals(true, matches(presence, map("flag", null)));
        assertEquals(false, matches(presence, map("other", 1)));
        assertEquals(true, matches(map("x-match", "any", "flag", null, "a", 1), map("flag", 5)));
        assertEquals(false, matches(map("a", 1), map("a", null)), "a void header is not the value 1");
    }

    @Test
    void valuesOfDifferentTypesDoNotMatch() {
        assertEquals(false, matches(map("a", "1"), map("a", 1)));
        assertEquals(false, matches(map("a", 1), map("a", "1")));
        assertEquals(false, matches(map("a", true), map("a", 1)));
        assertEquals(false, matches(map("a", new Text("1")), map("a", 1)));
    }

    @Test
    void numbersCompareByValueAcrossWidthsAsInRabbitMq() {
        assertEquals(true, matches(map("a", 1), map("a", 1L)));
        assertEquals(true, matches(map("a", (byte) 7), map("a", (short) 7)));
        assertEquals(true, matches(map("a", 1), map("a", 1.0d)));
        assertEquals(false, matches(map("a", 1), map("a", 1.5d)));
        assertEquals(false, matches(map("a", new java.math.BigDecimal("1")), map("a", 1)));
    }

    @Test
    void stringsAndTheCodecsLongStringsAreTheSameText() {
        assertEquals(true, matches(map("a", "v"), map("a", new Text("v"))));
        assertEquals(true, matches(map("a", new Text("v")), map("a", "v")));
        assertEquals(true, matches(map("a", new Text("v")), map("a", new Text("v"))));
        assertEquals(false, matches(map("a", "v"), map("a", new Text("w"))));
        assertEquals(true, matches(map("x-match", new Text("any"), "a", 1, "b", 2), map("b", 2)));
        assertEquals(true, matches(map("a", new byte[] {1, 2}), map("a", new byte[] {1, 2})));
    }

    @Test
    void invalidXMatchIsRefusedAtBindTime() {
        declare(t, "h", "headers");
        InvalidBindingException e = assertThrows(InvalidBindingException.class, () -> t.bind(
                new Binding("h", DestinationKind.QUEUE, "q", "", map("x-match", "some"))));
        assertEquals("Invalid x-match field value <<\"some\">>; expected all, any, all-with-x, or any-with-x",
                e.getMessage());
        e = assertThrows(InvalidBindingException.class, () -> t.bind(
                new Binding("h", DestinationKind.QUEUE, "q", "", map("x-match", 1))));
        assertEquals("Invalid x-match field type signedint (value 1); expected longstr", e.getMessage());
        assertThrows(InvalidBindingException.class, () -> t.bind(
                new Binding("h", DestinationKind.QUEUE, "q", "", map("x-match", null))));
        assertEquals(List.of(), t.bindings());
    }

    @Test
    void readsTheHeadersOncePerRouteAndNotForOtherTypes() {
        Topology<String> topo = topology("q1", "q2");
        declare(topo, "h1", "headers");
        declare(topo, "h2", "headers");
        declare(topo, "d", "direct");
        topo.bind(new Binding("h1", DestinationKind.QUEUE, "q1", "", map("a", 1)));
        topo.bind(new Binding("h1", DestinationKind.EXCHANGE, "h2", "", map("a", 1)));
        topo.bind(new Binding("h2", DestinationKind.QUEUE, "q2", "", map("a", 1)));
        topo.bind(Binding.toQueue("d", "q1", "k"));
        int[] reads = new int[1];
        RoutableMessage m = new RoutableMessage() {
            @Override
            public String routingKey() {
                return "k";
            }

            @Override
            public Map<String, Object> headers() {
                reads[0]++;
                return Map.of("a", 1);
            }
        };
        assertEquals(2, topo.route(topo.exchange("h1"), m, q -> { }));
        assertEquals(1, reads[0]);
        assertEquals(1, topo.route(topo.exchange("d"), m, q -> { }));
        assertEquals(1, reads[0]);
    }
}
