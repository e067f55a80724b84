package io.warren.exchange;

import static io.warren.exchange.Routing.bindExchange;
import static io.warren.exchange.Routing.bindQueue;
import static io.warren.exchange.Routing.declare;
import static io.warren.exchange.Routing.route;
import static io.warren.exchange.Routing.routeSorted;
import static io.warren.exchange.Routing.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlternateExchangeTest {

    private static Map<String, Object> ae(Object name) {
        return Map.of(ExchangeDefinition.ALTERNATE_EXCHANGE, name);
    }

    @Test
    void unroutableMessagesGoToTheAlternate() {
        Topology<String> t = topology("main", "unrouted");
        declare(t, "x", "direct", ae("ae"));
        declare(t, "ae", "fanout");
        bindQueue(t, "x", "main", "k");
        bindQueue(t, "ae", "unrouted", "");

        assertEquals(List.of("main"), route(t, "x", "k"));
        assertEquals(List.of("unrouted"), route(t, "x", "other"));
        assertEquals("ae", t.exchange("x").alternateExchange());
    }

    @Test
    void theNameMayBeTheCodecsLongString() {
        Topology<String> t = topology("unrouted");
        declare(t, "x", "direct", ae(new HeadersExchangeTest.Text("ae")));
        declare(t, "ae", "fanout");
        bindQueue(t, "ae", "unrouted", "");
        assertEquals(List.of("unrouted"), route(t, "x", "k"));
    }

    @Test
    void chainsAreFollowed() {
        Topology<String> t = topology("last");
        declare(t, "x", "direct", ae("ae1"));
        declare(t, "ae1", "direct", ae("ae2"));
        declare(t, "ae2", "topic", ae("ae3"));
        declare(t, "ae3", "fanout");
        bindQueue(t, "ae2", "last", "nomatch");
        bindQueue(t, "ae3", "last", "");
        assertEquals(List.of("last"), route(t, "x", "k"));
    }

    @Test
    void alternateCyclesTerminate() {
        Topology<String> t = topology("q");
        declare(t, "a", "direct", ae("b"));
        declare(t, "b", "direct", ae("a"));
        declare(t, "self", "direct", ae("self"));
        assertEquals(List.of(), route(t, "a", "k"));
        assertEquals(List.of(), route(t, "self", "k"));
        bindQueue(t, "b", "q", "k");
        assertEquals(List.of("q"), route(t, "a", "k"));
    }

    @Test
    void aMissingAlternateIsIgnoredAndOneDeclaredLaterIsUsed() {
        Topology<String> t = topology("q");
        declare(t, "x", "direct", ae("later"));
        assertEquals(List.of(), route(t, "x", "k"));
        declare(t, "later", "fanout");
        bindQueue(t, "later", "q", "");
        assertEquals(List.of("q"), route(t, "x", "k"));
    }

    @Test
    void aBindingToAnExchangeCountsAsRoutedEvenIfThatExchangeRoutesNowhere() {
        // route1: only an exchange whose own bindings matched nothing adds its alternate.
        Topology<String> t = topology("ae-of-x", "ae-of-y");
        declare(t, "x", "fanout", ae("xae"));
        declare(t, "y", "direct", ae("yae"));
        declare(t, "xae", "fanout");
        declare(t, "yae", "fanout");
        bindQueue(t, "xae", "ae-of-x", "");
        bindQueue(t, "yae", "ae-of-y", "");
        bindExchange(t, "x", "y", "");
        assertEquals(List.of("ae-of-y"), route(t, "x", "k"));
    }

    @Test
    void anAlternateAlreadyVisitedIsNotVisitedAgain() {
        Topology<String> t = topology("q");
        declare(t, "x", "fanout", ae("y"));
        declare(t, "y", "fanout");
        declare(t, "z", "direct", ae("y"));
        bindExchange(t, "y", "z", "");  // z routes nothing; its alternate y was already seen
        bindQueue(t, "y", "q", "");
        assertEquals(List.of("q"), route(t, "x", "k"));
    }

    @Test
    void theAlternateIsNotUsedWhenTheMessageMatchedADuplicateQueue() {
        Topology<String> t = topology("q", "spill");
        declare(t, "a", "fanout");
        declare(t, "b", "fanout", ae("spill-x"));
        declare(t, "spill-x", "fanout");
        bindQueue(t, "spill-x", "spill", "");
        bindQueue(t, "a", "q", "");
        bindExchange(t, "a", "b", "");
        bindQueue(t, "b", "q", "");   // b matches q, already delivered: b still routed
        assertEquals(List.of("q"), routeSorted(t, "a", "k"));
    }

    @Test
    void aNonStringAlternateIsIgnored() {
        Topology<String> t = topology("q");
        Exchange x = declare(t, "x", "direct", ae(42));
        assertEquals(null, x.alternateExchange());
        assertEquals(List.of(), route(t, "x", "k"));
    }
}
