package io.warren.exchange;

import static io.warren.exchange.Routing.bindExchange;
import static io.warren.exchange.Routing.bindQueue;
import static io.warren.exchange.Routing.declare;
import static io.warren.exchange.Routing.route;
import static io.warren.exchange.Routing.routeSorted;
import static io.warren.exchange.Routing.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopologyLifecycleTest {

    private static ExchangeDefinition autoDelete(String name, String type) {
        return new ExchangeDefinition(name, type, false, true, false, Map.of());
    }

    @Test
    void declareCreatesOnceAndThenReturnsTheExistingExchangeUntouched() {
        Topology<String> t = topology();
        ExchangeDefinition first = new ExchangeDefinition("x", "direct", true, false, false,
                Map.of("alternate-exchange", "ae"));
        Declared created = t.declareExchange(first);
        assertTrue(created.created());
        assertEquals(first, created.exchange().definition());
        assertEquals("x", created.exchange().name());
        assertEquals("direct", created.exchange().type());
        assertTrue(created.exchange().durable());

        Declared again = t.declareExchange(new ExchangeDefinition("x", "fanout", false, true, true,
                Map.of()));
        assertFalse(again.created());
        assertSame(created.exchange(), again.exchange());
        assertEquals(first, again.exchange().definition());
    }

    @Test
    void equivalenceComparesTypeFlagsAndAlternateExchangeOnly() {
        ExchangeDefinition d = new ExchangeDefinition("x", "topic", true, false, false,
                Map.of("alternate-exchange", "ae", "other", 1));
        assertTrue(d.equivalentTo(new ExchangeDefinition("x", "topic", true, false, false,
                Map.of("alternate-exchange", new HeadersExchangeTest.Text("ae")))));
        assertFalse(d.equivalentTo(new ExchangeDefinition("x", "direct", true, false, false,
                Map.of("alternate-exchange", "ae"))));
        assertFalse(d.equivalentTo(new ExchangeDefinition("x", "topic", false, false, false,
                Map.of("alternate-exchange", "ae"))));
        assertFalse(d.equivalentTo(new ExchangeDefinition("x", "topic", true, true, false,
                Map.of("alternate-exchange", "ae"))));
        assertFalse(d.equivalentTo(new ExchangeDefinition("x", "topic", true, false, true,
                Map.of("alternate-exchange", "ae"))));
        assertFalse(d.equivalentTo(new ExchangeDefinition("x", "topic", true, false, false,
                Map.of("alternate-exchange", "other-ae"))));
        assertFalse(d.equivalentTo(ExchangeDefinition.of("x", "topic")), "AE missing");
        assertTrue(ExchangeDefinition.of("x", "topic").equivalentTo(
                new ExchangeDefinition("x", "topic", true, false, false, Map.of("other", 2))));
    }

    @Test
    void unknownTypesAreDetectable() {
        Topology<String> t = topology();
        UnknownExchangeTypeException e = assertThrows(UnknownExchangeTypeException.class,
                () -> t.declareExchange(ExchangeDefinition.of("x", "x-nope")));
        assertEquals("x-nope", e.typeName());
        assertEquals("unknown exchange type 'x-nope'", e.getMessage());
        assertNull(t.exchange("x"));
        assertNull(t.types().find("x-nope"));
        assertEquals(Set.of("direct", "fanout", "topic", "headers"), t.types().names());
        declare(t, "y", "direct");
        assertThrows(UnknownExchangeTypeException.class,
                () -> t.declareExchange(ExchangeDefinition.of("y", "x-nope")),
                "the type is checked before the existing exchange is returned");
    }

    @Test
    void theDefaultExchangeAlwaysExistsAndCannotBeDeletedOrBound() {
        Topology<String> t = topology("q");
        Exchange d = t.exchange("");
        assertNotNull(d);
        assertTrue(d.isDefault());
        assertEquals("direct", d.type());
        assertSame(d, t.defaultExchange());
        assertTrue(t.exchanges().contains(d));
        assertThrows(IllegalArgumentException.class, () -> t.deleteExchange("", false));
        assertThrows(IllegalArgumentException.class, () -> t.bind(Binding.toQueue("", "q", "q")));
        declare(t, "x", "fanout");
        assertThrows(IllegalArgumentException.class, () -> t.bind(Binding.toExchange("x", "", "")));
    }

    @Test
    void standardExchangesAreThoseOfRabbitMq() {
        Topology<String> t = topology();
        t.declareStandardExchanges();
        assertEquals("topic", t.exchange("amq.topic").type());
        assertEquals("headers", t.exchange("amq.match").type());
        assertTrue(t.exchange("amq.rabbitmq.trace").internal());
        assertEquals(7, t.exchanges().size());
    }

    @Test
    void bindingArgumentsArePartOfTheIdentity() {
        Topology<String> t = topology("q");
        declare(t, "x", "direct");
        Binding plain = Binding.toQueue("x", "q", "k");
        Binding tagged = plain.withArguments(Map.of("tag", "a"));
        assertEquals(BindResult.CREATED, t.bind(plain));
        assertEquals(BindResult.EXISTS, t.bind(plain));
        assertEquals(BindResult.CREATED, t.bind(tagged));
        Map<String, Object> sameContent = new HashMap<>();
        sameContent.put("tag", "a");
        assertEquals(BindResult.EXISTS, t.bind(plain.withArguments(sameContent)));
        assertEquals(BindResult.CREATED, t.bind(plain.withArguments(Map.of("tag", "b"))));
        assertEquals(3, t.bindingsFrom("x").size());

        assertEquals(UnbindResult.REMOVED, t.unbind(tagged));
        assertEquals(UnbindResult.NOT_FOUND, t.unbind(tagged));
        assertEquals(List.of("q"), route(t, "x", "k"));
        assertEquals(List.of(plain, plain.withArguments(Map.of("tag", "b"))), t.bindingsFrom("x"));
    }

    @Test
    void bindAndUnbindReportMissingEnds() {
        Topology<String> t = topology("q");
        declare(t, "x", "direct");
        assertEquals(BindResult.SOURCE_NOT_FOUND, t.bind(Binding.toQueue("nope", "q", "k")));
        assertEquals(BindResult.DESTINATION_NOT_FOUND, t.bind(Binding.toQueue("x", "nope", "k")));
        assertEquals(BindResult.DESTINATION_NOT_FOUND, t.bind(Binding.toExchange("x", "nope", "k")));
        assertEquals(UnbindResult.SOURCE_NOT_FOUND, t.unbind(Binding.toQueue("nope", "q", "k")));
        assertEquals(UnbindResult.DESTINATION_NOT_FOUND, t.unbind(Binding.toQueue("x", "nope", "k")));
        assertEquals(UnbindResult.NOT_FOUND, t.unbind(Binding.toQueue("x", "q", "k")));
        assertEquals(List.of(), t.bindings());
    }

    @Test
    void listsBindingsBySourceAndDestination() {
        Topology<String> t = topology("q1", "q2");
        declare(t, "a", "direct");
        declare(t, "b", "fanout");
        bindQueue(t, "a", "q1", "1");
        bindQueue(t, "a", "q2", "2");
        bindExchange(t, "a", "b", "3");
        bindQueue(t, "b", "q1", "");
        assertEquals(List.of(Binding.toQueue("a", "q1", "1"), Binding.toQueue("a", "q2", "2"),
                Binding.toExchange("a", "b", "3")), t.bindingsFrom("a"));
        assertEquals(List.of(Binding.toQueue("a", "q1", "1"), Binding.toQueue("b", "q1", "")),
                t.bindingsTo(DestinationKind.QUEUE, "q1"));
        assertEquals(List.of(Binding.toExchange("a", "b", "3")),
                t.bindingsTo(DestinationKind.EXCHANGE, "b"));
        assertEquals(4, t.bindings().size());
        assertEquals(List.of(), t.bindingsFrom("missing"));
    }

    @Test
    void autoDeleteHappensWhenTheLastBindingGoesNotAtDeclaration() {
        Topology<String> t = topology("q1", "q2");
        t.declareExchange(autoDelete("x", "direct"));
        assertTrue(t.exchange("x").autoDelete());
        assertNotNull(t.exchange("x"), "declared without bindings: still there");
        bindQueue(t, "x", "q1", "k");
        bindQueue(t, "x", "q2", "k");

        List<String> deleted = new ArrayList<>();
        assertEquals(UnbindResult.REMOVED, t.unbind(Binding.toQueue("x", "q1", "k"), deleted::add));
        assertEquals(List.of(), deleted);
        assertNotNull(t.exchange("x"));
        Exchange x = t.exchange("x");
        assertEquals(UnbindResult.REMOVED, t.unbind(Binding.toQueue("x", "q2", "k"), deleted::add));
        assertEquals(List.of("x"), deleted);
        assertNull(t.exchange("x"));
        assertTrue(x.isDeleted());
    }

    @Test
    void bindingsToAnAutoDeleteExchangeDoNotKeepItAlive() {
        Topology<String> t = topology("q");
        declare(t, "up", "fanout");
        t.declareExchange(autoDelete("x", "fanout"));
        bindExchange(t, "up", "x", "");
        bindQueue(t, "x", "q", "");
        assertEquals(List.of("x"), t.removeQueue("q"));
        assertNull(t.exchange("x"));
        assertEquals(List.of(), t.bindingsFrom("up"), "the binding to the deleted exchange went too");
    }

    @Test
    void removingAQueueCascadesThroughChainsOfAutoDeleteExchanges() {
        Topology<String> t = topology("q", "other");
        t.declareExchange(autoDelete("a", "fanout"));
        t.declareExchange(autoDelete("b", "fanout"));
        t.declareExchange(autoDelete("c", "topic"));
        t.declareExchange(autoDelete("keeps", "fanout"));
        declare(t, "plain", "fanout");
        bindExchange(t, "a", "b", "");
        bindExchange(t, "b", "c", "");
        bindQueue(t, "c", "q", "#");
        bindExchange(t, "plain", "c", "");
        bindExchange(t, "keeps", "c", "");
        bindQueue(t, "keeps", "other", "");

        List<String> deleted = t.removeQueue("q");
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(deleted));
        assertEquals(3, deleted.size());
        assertNotNull(t.exchange("keeps"));
        assertNotNull(t.exchange("plain"));
        assertEquals(List.of(Binding.toQueue("keeps", "other", "")), t.bindingsFrom("keeps"));
        assertEquals(List.of(), t.bindingsFrom("plain"));
        assertNull(t.queue("q"));
        assertEquals(List.of(), t.removeQueue("q"));
    }

    @Test
    void deletingAnExchangeCascadesToAutoDeleteSources() {
        Topology<String> t = topology();
        t.declareExchange(autoDelete("src", "fanout"));
        declare(t, "dst", "fanout");
        bindExchange(t, "src", "dst", "");
        List<String> deleted = new ArrayList<>();
        assertEquals(DeleteResult.DELETED, t.deleteExchange("dst", false, deleted::add));
        assertEquals(List.of("src"), deleted);
        assertNull(t.exchange("src"));
        assertEquals(List.of(), t.bindings());
    }

    @Test
    void ifUnusedLooksAtBindingsFromTheExchangeOnly() {
        Topology<String> t = topology("q");
        declare(t, "x", "fanout");
        declare(t, "up", "fanout");
        bindExchange(t, "up", "x", "");
        assertEquals(DeleteResult.DELETED, t.deleteExchange("x", true), "bound to, but not from");
        declare(t, "y", "fanout");
        bindQueue(t, "y", "q", "");
        assertEquals(DeleteResult.IN_USE, t.deleteExchange("y", true));
        assertNotNull(t.exchange("y"));
        assertEquals(DeleteResult.DELETED, t.deleteExchange("y", false));
        assertEquals(DeleteResult.NOT_FOUND, t.deleteExchange("y", false));
        assertEquals(List.of(), t.bindingsTo(DestinationKind.QUEUE, "q"));
    }

    @Test
    void aQueueNameIsRegisteredOnce() {
        Topology<String> t = topology();
        String handle = "handle";
        t.addQueue("q", handle);
        t.addQueue("q", handle);
        assertThrows(IllegalStateException.class, () -> t.addQueue("q", new String("other")));
        assertSame(handle, t.queue("q"));
    }

    @Test
    void queueIdsAreReusedWithoutMixingQueuesUp() {
        Topology<String> t = topology();
        declare(t, "x", "fanout");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 50; i++) {
                t.addQueue("q" + round + "-" + i, "q" + round + "-" + i);
                bindQueue(t, "x", "q" + round + "-" + i, "");
            }
            List<String> routed = routeSorted(t, "x", "");
            assertEquals(50, routed.size());
            final int r = round;
            assertTrue(routed.stream().allMatch(q -> q.startsWith("q" + r + "-")));
            for (int i = 0; i < 50; i++) {
                t.removeQueue("q" + round + "-" + i);
            }
        }
    }

    /** A type from outside the standard four: routes to bindings whose key prefixes the message's. */
    static final class PrefixExchangeType implements ExchangeType {
        @Override
        public String name() {
            return "x-prefix";
        }

        @Override
        public BindingTable newTable(ExchangeDefinition definition) {
            SlotList<Edge> all = new SlotList<>();
            return new BindingTable() {
                @Override
                public void add(Edge edge) {
                    all.add(edge);
                }

                @Override
                public void remove(Edge edge) {
                    all.remove(edge);
                }

                @Override
                public void match(RoutableMessage message, EdgeSink sink) {
                    Object[] a = all.array();
                    for (int i = 0; i < a.length; i++) {
                        Edge e = SlotList.at(a, i);
                        if (e != null && message.routingKey().startsWith(e.routingKey())) {
                            sink.accept(e);
                        }
                    }
                }
            };
        }

        @Override
        public void validateBinding(Binding binding) {
            if (binding.routingKey().isEmpty()) {
                throw new InvalidBindingException("empty prefix");
            }
        }
    }

    @Test
    void newTypesPlugInThroughTheRegistry() {
        Topology<String> t = new Topology<>(ExchangeTypes.standard().register(new PrefixExchangeType()));
        t.addQueue("eu", "eu");
        t.addQueue("all", "all");
        t.declareExchange(ExchangeDefinition.of("p", "x-prefix"));
        declare(t, "ae", "fanout");
        bindQueue(t, "p", "eu", "eu.");
        bindQueue(t, "p", "all", "e");
        assertThrows(InvalidBindingException.class, () -> t.bind(Binding.toQueue("p", "eu", "")));
        assertEquals(List.of("all", "eu"), routeSorted(t, "p", "eu.west"));
        assertEquals(List.of("all"), routeSorted(t, "p", "east"));
        assertEquals(List.of(), routeSorted(t, "p", "us"));
        assertThrows(IllegalStateException.class,
                () -> ExchangeTypes.standard().register(new DirectExchangeType()));
        assertEquals(Set.of("p", "ae", ""),
                t.exchanges().stream().map(Exchange::name).collect(Collectors.toSet()));
    }
}
