package io.warren.exchange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The topic exchange's bindings, as a trie of binding-key words.
 *
 * <p><b>Words.</b> A key is cut at every '.': "a..b" has three words, the middle one empty; "a."
 * has two. The empty key has no words at all (as in RabbitMQ), so it is matched by the binding
 * key "" and by patterns made only of '#', and not by "*".
 *
 * <p><b>Structure.</b> A binding with key w1.w2…wn hangs (as an {@link Edge}) on the node reached
 * from the root by the words w1…wn. A node keeps its literal children in a {@link WordTable} and
 * its '*' and '#' children in two fields of their own, so a routing key whose word is a literal
 * "*" does not take the wildcard branch twice. Consecutive '#' are collapsed on the way down
 * ("#.#" and "#" share a node: both match any number of words); the edge keeps its real key.
 *
 * <p><b>Matching</b> (RabbitMQ's trie_match) of routing words k[i..n) from node N:
 * <ul>
 *   <li>i == n: yield N's edges, and match N's '#' child at n (the '#' takes no word);</li>
 *   <li>otherwise follow the literal child named k[i] and the '*' child with i+1, and the '#'
 *       child with every j from i to n (the '#' takes the j - i words k[i..j)).</li>
 * </ul>
 *
 * <p><b>Cost and limits.</b> A route visits only nodes whose path matches a prefix of the key, so
 * it grows with the key's words and the patterns that match them, not with the number of
 * bindings; each literal step is one hash probe over a region of the key (no substring). Every
 * '#' on a path multiplies the work below it by at most n + 1, as in RabbitMQ. Recursion depth
 * is bounded by n plus the number of '#' on a path; keys on the wire are at most 255 characters.
 * A removal that leaves nodes without edges or children unlinks them, bottom-up.
 *
 * <p><b>Concurrency.</b> Mutations come one at a time (the topology's lock). A node is fully built
 * before the volatile write or release store that links it, children are only ever linked or
 * unlinked (never moved), and each node's edges are a {@link SlotList}; so a lock-free route sees
 * every binding that is stable while it runs. The word boundaries of the key being routed live
 * in a per-thread array (a nested route from a sink gets its own).
 */
final class TopicTrie implements BindingTable {

    private static final class Node {
        final Node parent;
        final String word;
        volatile WordTable<Node> literals;
        volatile Node star;
        volatile Node hash;
        volatile SlotList<Edge> edges;
        int children; // writer only

        Node(Node parent, String word) {
            this.parent = parent;
            this.word = word;
        }
    }

    /** Start offsets of the words of the key being routed, per thread. */
    private static final class Words {
        int[] starts = new int[64];
        boolean busy;
    }

    private static final ThreadLocal<Words> WORDS = ThreadLocal.withInitial(Words::new);

    private final Node root = new Node(null, null);

    @Override
    public void add(Edge edge) {
        Node node = root;
        for (String word : path(edge.routingKey())) {
            Node child = child(node, word);
            if (child == null) {
                child = new Node(node, word);
                link(node, child);
            }
            node = child;
        }
        SlotList<Edge> edges = node.edges;
        if (edges == null) {
            edges = new SlotList<>();
            node.edges = edges;
        }
        edges.add(edge);
    }

    @Override
    public void remove(Edge edge) {
        Node node = root;
        for (String word : path(edge.routingKey())) {
            node = child(node, word);
        }
        node.edges.remove(edge);
        if (node.edges.isEmpty()) {
            node.edges = null;
        }
        while (node != root && node.edges == null && node.children == 0) {
            unlink(node.parent, node);
            node = node.parent;
        }
    }

    @Override
    public void match(RoutableMessage message, EdgeSink sink) {
        String key = message.routingKey();
        Words words = WORDS.get();
        boolean nested = words.busy;
        if (nested) {
            words = new Words();
        }
        int n = split(key, words);
        words.busy = true;
        try {
            match(root, key, words.starts, n, 0, sink);
        } finally {
            words.busy = nested;
        }
    }

    private static void match(Node node, String key, int[] starts, int n, int i, EdgeSink sink) {
        if (i == n) {
            SlotList<Edge> edges = node.edges;
            if (edges != null) {
                SlotList.emitAll(edges, sink);
            }
            Node hash = node.hash;
            if (hash != null) {
                match(hash, key, starts, n, n, sink);
            }
            return;
        }
        WordTable<Node> literals = node.literals;
        if (literals != null) {
            int end = i + 1 < n ? starts[i + 1] - 1 : key.length();
            Node child = literals.get(key, starts[i], end);
            if (child != null) {
                match(child, key, starts, n, i + 1, sink);
            }
        }
        Node star = node.star;
        if (star != null) {
            match(star, key, starts, n, i + 1, sink);
        }
        Node hash = node.hash;
        if (hash != null) {
            for (int j = i; j <= n; j++) {
                match(hash, key, starts, n, j, sink);
            }
        }
    }

    /** Records where each word of the key starts; returns the number of words. */
    private static int split(String key, Words words) {
        if (key.isEmpty()) {
            return 0;
        }
        int[] starts = words.starts;
        int n = 0;
        starts[n++] = 0;
        for (int i = key.indexOf('.'); i >= 0; i = key.indexOf('.', i + 1)) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, 2 * n);
                words.starts = starts;
            }
            starts[n++] = i + 1;
        }
        return n;
    }

    /** The words of a binding key as a trie path: cut at '.', runs of '#' collapsed to one. */
    static List<String> path(String bindingKey) {
        List<String> path = new ArrayList<>();
        if (bindingKey.isEmpty()) {
            return path;
        }
        int from = 0;
        while (true) {
            int dot = bindingKey.indexOf('.', from);
            String word = bindingKey.substring(from, dot < 0 ? bindingKey.length() : dot);
            if (!(word.equals("#") && !path.isEmpty() && path.get(path.size() - 1).equals("#"))) {
                path.add(word);
            }
            if (dot < 0) {
                return path;
            }
            from = dot + 1;
        }
    }

    private static Node child(Node node, String word) {
        switch (word) {
            case "*":
                return node.star;
            case "#":
                return node.hash;
            default:
                WordTable<Node> literals = node.literals;
                return literals == null ? null : literals.get(word);
        }
    }

    private static void link(Node parent, Node child) {
        switch (child.word) {
            case "*" -> parent.star = child;
            case "#" -> parent.hash = child;
            default -> {
                WordTable<Node> literals = parent.literals;
                if (literals == null) {
                    literals = new WordTable<>();
                    parent.literals = literals;
                }
                literals.put(child.word, child);
            }
        }
        parent.children++;
    }

    private static void unlink(Node parent, Node child) {
        switch (child.word) {
            case "*" -> parent.star = null;
            case "#" -> parent.hash = null;
            default -> {
                parent.literals.remove(child.word);
                if (parent.literals.size() == 0) {
                    parent.literals = null;
                }
            }
        }
        parent.children--;
    }
}
