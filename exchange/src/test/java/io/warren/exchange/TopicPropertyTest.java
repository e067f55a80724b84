package io.warren.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The topic trie against a matcher written plainly from the rules: random binding patterns and
 * routing keys from a small alphabet (so matches are frequent), including empty words, '#' at
 * every position, "#.#" and "*.#.*". Seeded, so a failure reproduces.
 */
class TopicPropertyTest {

    private static final long SEED = 20240611L;
    private static final String[] PATTERN_WORDS = {"a", "b", "ab", "", "*", "#", "#"};
    private static final String[] KEY_WORDS = {"a", "b", "ab", "", "*", "#"};
    private static final List<String> ALWAYS = List.of("#", "#.#", "*.#.*", "#.a", "a.#",
            "a.#.b", "#.*", "*.#", "", "*", "#.#.#", "a.#.#.b", "#.a.#", "*.*", ".", "#..#");

    /** Words of a key: cut at every '.', keeping empty words; the empty key has none. */
    static List<String> words(String key) {
        return key.isEmpty() ? List.of() : Arrays.asList(key.split("\\.", -1));
    }

    /** The reference: '*' is exactly one word, '#' zero or more, anything else itself. */
    static boolean matches(List<String> pattern, int p, List<String> key, int k) {
        if (p == pattern.size()) {
            return k == key.size();
        }
        String word = pattern.get(p);
        if (word.equals("#")) {
            return matches(pattern, p + 1, key, k)
                    || (k < key.size() && matches(pattern, p, key, k + 1));
        }
        if (k == key.size()) {
            return false;
        }
        return (word.equals("*") || word.equals(key.get(k))) && matches(pattern, p + 1, key, k + 1);
    }

    private static String randomKey(Random random, String[] alphabet, int maxWords) {
        int n = random.nextInt(maxWords + 1);
        if (n == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    @Test
    void trieAgreesWithTheReferenceMatcher() {
        Random random = new Random(SEED);
        int cases = 0;
        for (int round = 0; round < 150; round++) {
            Topology<String> t = new Topology<>();
            t.declareExchange(ExchangeDefinition.of("t", "topic"));
            List<String> patterns = new ArrayList<>(ALWAYS);
            while (patterns.size() < ALWAYS.size() + 40) {
                patterns.add(randomKey(random, PATTERN_WORDS, 5));
            }
            List<Binding> bound = new ArrayList<>();
            for (int i = 0; i < patterns.size(); i++) {
                String queue = "p" + i;
                t.addQueue(queue, queue);
                Binding b = Binding.toQueue("t", queue, patterns.get(i));
                assertEquals(BindResult.CREATED, t.bind(b));
                bound.add(b);
            }
            cases += check(t, bound, random);
            // remove a random half (prunes the trie), then check again
            for (Binding b : new ArrayList<>(bound)) {
                if (random.nextBoolean()) {
                    assertEquals(UnbindResult.REMOVED, t.unbind(b));
                    bound.remove(b);
                }
            }
            cases += check(t, bound, random);
        }
        assertEquals(true, cases > 10_000, "ran " + cases + " cases");
    }

    private static int check(Topology<String> t, List<Binding> bound, Random random) {
        int cases = 0;
        for (int k = 0; k < 60; k++) {
            String key = randomKey(random, KEY_WORDS, 6);
            List<String> keyWords = words(key);
            Set<String> expected = new TreeSet<>();
            for (Binding b : bound) {
                if (matches(words(b.routingKey()), 0, keyWords, 0)) {
                    expected.add(b.destination());
                }
                cases++;
            }
            List<String> actual = new ArrayList<>();
            t.route(t.exchange("t"), new Routing.Message(key, Map.of()), actual::add);
            assertEquals(actual.size(), new HashSet<>(actual).size(), "duplicates for '" + key + "'");
            assertEquals(expected, new TreeSet<>(actual), "routing key '" + key + "'");
        }
        return cases;
    }

    @Test
    void referenceMatcherSanity() {
        assertEquals(true, matches(words("#"), 0, words(""), 0));
        assertEquals(false, matches(words("*"), 0, words(""), 0));
        assertEquals(true, matches(words("*.#.*"), 0, words("a.b"), 0));
        assertEquals(false, matches(words("*.#.*"), 0, words("a"), 0));
        assertEquals(true, matches(words("a..b"), 0, words("a..b"), 0));
        assertEquals(3, words("a..b").size());
        assertEquals(2, words("a.").size());
    }
}
