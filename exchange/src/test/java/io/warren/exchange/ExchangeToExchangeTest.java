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

class ExchangeToExchangeTest {

    @Test
    void routingFollowsBindingsToExchangesWithTheirOwnRules() {
        Topology<String> t = topology("logs", "errors");
        declare(t, "in", "topic");
        declare(t, "all", "fanout");
        declare(t, "by-level", "direct");
        bindExchange(t, "in", "all", "app.#");
        bindExchange(t, "in", "by-level", "app.*");
        bindQueue(t, "all", "logs", "");
        bindQueue(t, "by-level", "errors", "app.error");

        assertEquals(List.of("errors", "logs"), routeSorted(t, "in", "app.error"));
        assertEquals(List.of("logs"), routeSorted(t, "in", "app.info"));
        assertEquals(List.of("logs"), routeSorted(t, "in", "app.error.detail"));
        assertEquals(List.of(), routeSorted(t, "in", "db.error"));
    }

    @Test
    void aDiamondDeliversOneCopy() {
        Topology<String> t = topology("q");
        declare(t, "a", "fanout");
        declare(t, "b", "fanout");
        declare(t, "c", "fanout");
        declare(t, "d", "fanout");
        bindExchange(t, "a", "b", "");
        bindExchange(t, "a", "c", "");
        bindExchange(t, "b", "d", "");
        bindExchange(t, "c", "d", "");
        bindQueue(t, "b", "q", "");
        bindQueue(t, "c", "q", "");
        bindQueue(t, "d", "q", "");
        assertEquals(List.of("q"), route(t, "a", "k"));
    }

    @Test
    void cyclesTerminate() {
        Topology<String> t = topology("qa", "qb");
        declare(t, "a", "fanout");
        declare(t, "b", "fanout");
        bindExchange(t, "a", "b", "");
        bindExchange(t, "b", "a", "");
        bindQueue(t, "a", "qa", "");
        bindQueue(t, "b", "qb", "");
        assertEquals(List.of("qa", "qb"), routeSorted(t, "a", ""));
        assertEquals(List.of("qa", "qb"), routeSorted(t, "b", ""));
    }

    @Test
    void aSelfLoopTerminates() {
        Topology<String> t = topology("q");
        declare(t, "a", "fanout");
        bindExchange(t, "a", "a", "");
        assertEquals(List.of(), route(t, "a", ""));
        bindQueue(t, "a", "q", "");
        assertEquals(List.of("q"), route(t, "a", ""));
    }

    @Test
    void aLongChainIsWalkedToTheEnd() {
        Topology<String> t = topology("end");
        for (int i = 0; i < 100; i++) {
            declare(t, "x" + i, "direct");
        }
        for (int i = 0; i < 99; i++) {
            bindExchange(t, "x" + i, "x" + (i + 1), "k");
        }
        bindQueue(t, "x99", "end", "k");
        assertEquals(List.of("end"), route(t, "x0", "k"));
        assertEquals(List.of(), route(t, "x0", "other"));
    }

    @Test
    void internalExchangesReceiveThroughBindings() {
        Topology<String> t = topology("q");
        declare(t, "public", "fanout");
        Exchange hidden = t.declareExchange(new ExchangeDefinition("hidden", "fanout", false, false,
                true, Map.of())).exchange();
        assertEquals(true, hidden.internal());
        bindExchange(t, "public", "hidden", "");
        bindQueue(t, "hidden", "q", "");
        assertEquals(List.of("q"), route(t, "public", ""));
    }

    @Test
    void deletingADestinationExchangeRemovesTheBindingsToIt() {
        Topology<String> t = topology("q");
        declare(t, "a", "fanout");
        declare(t, "b", "fanout");
        bindExchange(t, "a", "b", "");
        bindQueue(t, "b", "q", "");
        assertEquals(DeleteResult.DELETED, t.deleteExchange("b", false));
        assertEquals(List.of(), t.bindingsFrom("a"));
        assertEquals(List.of(), route(t, "a", ""));
        declare(t, "b", "fanout");
        bindQueue(t, "b", "q", "");
        assertEquals(List.of(), route(t, "a", ""), "a new exchange of the same name is not bound");
    }
}
