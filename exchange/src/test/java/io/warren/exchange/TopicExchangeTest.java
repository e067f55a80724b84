package io.warren.exchange;

import static io.warren.exchange.Routing.bindQueue;
import static io.warren.exchange.Routing.declare;
import static io.warren.exchange.Routing.route;
import static io.warren.exchange.Routing.routeSorted;
import static io.warren.exchange.Routing.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TopicExchangeTest {

    private static boolean matches(String bindingKey, String routingKey) {
        Topology<String> t = topology("q");
        declare(t, "x", "topic");
        bindQueue(t, "x", "q", bindingKey);
        return !route(t, "x", routingKey).isEmpty();
    }

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "a.b.c     | a.b.c       | true",
        "a.b.c     | a.b         | false",
        "a.b       | a.b.c       | false",
        "*         | a           | true",
        "*         | a.b         | false",
        "*         | ''          | false",
        "*         | .           | false",
        "*.*       | .           | true",
        "*.*       | a.          | true",
        "a.*       | a.          | true",
        "a.*       | a           | false",
        "#         | ''          | true",
        "#         | a           | true",
        "#         | a.b.c       | true",
        "#         | ..          | true",
        "#.#       | ''          | true",
        "#.#       | a.b         | true",
        "''        | ''          | true",
        "''        | a           | false",
        "''        | .           | false",
        "a..b      | a..b        | true",
        "a..b      | a.b         | false",
        "a.*.b     | a..b        | true",
        "a.#.b     | a.b         | true",
        "a.#.b     | a.x.y.b     | true",
        "a.#.b     | a.x.y.c     | false",
        "a.#       | a           | true",
        "a.#       | ab          | false",
        "#.a       | a           | true",
        "#.a       | x.y.a       | true",
        "#.a       | x.y.a.b     | false",
        "*.#.*     | a           | false",
        "*.#.*     | a.b         | true",
        "*.#.*     | a.b.c.d     | true",
        "#.*       | ''          | false",
        "#.*       | a           | true",
        "*.#       | a           | true",
        "#.a.#     | a           | true",
        "#.a.#     | x.a.y       | true",
        "#.a.#     | x.b.y       | false",
        "a.*.#     | a           | false",
        "a.*.#     | a.b         | true",
        "a.b       | a.*         | false",
        "a.*       | a.*         | true",
        "a.#       | a.#         | true",
        "#.#.b     | b           | true",
    })
    void wordsStarsAndHashes(String bindingKey, String routingKey, boolean expected) {
        assertEquals(expected, matches(bindingKey, routingKey));
    }

    /** The example of RabbitMQ's tutorial 5. */
    @Test
    void tutorialExample() {
        Topology<String> t = topology("Q1", "Q2");
        declare(t, "x", "topic");
        bindQueue(t, "x", "Q1", "*.orange.*");
        bindQueue(t, "x", "Q2", "*.*.rabbit");
        bindQueue(t, "x", "Q2", "lazy.#");

        assertEquals(List.of("Q1", "Q2"), routeSorted(t, "x", "quick.orange.rabbit"));
        assertEquals(List.of("Q1", "Q2"), routeSorted(t, "x", "lazy.orange.elephant"));
        assertEquals(List.of("Q1"), routeSorted(t, "x", "quick.orange.fox"));
        assertEquals(List.of("Q2"), routeSorted(t, "x", "lazy.brown.fox"));
        assertEquals(List.of("Q2"), routeSorted(t, "x", "lazy.pink.rabbit"));
        assertEquals(List.of(), routeSorted(t, "x", "quick.brown.fox"));
        assertEquals(List.of(), routeSorted(t, "x", "orange"));
        assertEquals(List.of(), routeSorted(t, "x", "quick.orange.new.rabbit"));
        assertEquals(List.of("Q2"), routeSorted(t, "x", "lazy.orange.new.rabbit"));
    }

    @Test
    void bindingsSharingATrieNodeAreRemovedIndependently() {
        Topology<String> t = topology("a", "b", "c");
        declare(t, "x", "topic");
        bindQueue(t, "x", "a", "#");
        bindQueue(t, "x", "b", "#.#");   // same trie path as "#"
        bindQueue(t, "x", "c", "k.#");
        assertEquals(List.of("a", "b", "c"), routeSorted(t, "x", "k"));
        t.unbind(Binding.toQueue("x", "a", "#"));
        assertEquals(List.of("b", "c"), routeSorted(t, "x", "k"));
        t.unbind(Binding.toQueue("x", "b", "#.#"));
        assertEquals(List.of("c"), routeSorted(t, "x", "k"));
        assertEquals(List.of(), routeSorted(t, "x", "j"));
        t.unbind(Binding.toQueue("x", "c", "k.#"));
        assertEquals(List.of(), routeSorted(t, "x", "k"));
        bindQueue(t, "x", "a", "k.#");     // the pruned path is rebuilt
        assertEquals(List.of("a"), routeSorted(t, "x", "k.z"));
    }

    @Test
    void manyLiteralWordsUnderOneNode() {
        Topology<String> t = topology("q");
        declare(t, "x", "topic");
        for (int i = 0; i < 5_000; i++) {
            bindQueue(t, "x", "q", "w" + i + ".end");
        }
        for (int i = 0; i < 5_000; i += 2) {
            t.unbind(Binding.toQueue("x", "q", "w" + i + ".end"));
        }
        for (int i = 0; i < 5_000; i += 97) {
            assertEquals(i % 2 == 1, !route(t, "x", "w" + i + ".end").isEmpty(), "w" + i);
        }
        assertEquals(List.of(), route(t, "x", "w1"));
    }
}
