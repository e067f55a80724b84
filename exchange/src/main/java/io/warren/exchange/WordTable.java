package io.warren.exchange;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A hash table from words to values that readers query with a region of a larger string, so the
 * topic trie can look up each word of a routing key without cutting it into substrings (a
 * publish allocates nothing).
 *
 * <p>Layout: open addressing with linear probing over one array of alternating key and value
 * slots, capacity a power of two, at most 3/4 full counting deleted slots. The hash of a word is
 * {@link String#hashCode()}, which {@link #hash(String, int, int)} recomputes over a region.
 *
 * <p>Concurrency: one writer (the topology's lock), lock-free readers. A key slot only ever goes
 * null → word → {@link #DELETED}; the value is stored before its key (release) and read after it
 * (acquire), so a reader that finds the word finds its value, or null if it was just removed.
 * Growing or cleaning builds a new array and publishes it through a volatile field; readers of
 * the old array still find every word that was in it. Words present throughout a lookup are
 * always found.
 */
final class WordTable<V> {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final Object DELETED = new Object();

    private volatile Object[] table = new Object[2 * 2];
    private int used;  // writer only: key slots not null (live + deleted)
    private int live;  // writer only

    /** The value for {@code text.substring(from, to)}, or null. Any thread; allocates nothing. */
    @SuppressWarnings("unchecked")
    V get(String text, int from, int to) {
        Object[] t = table;
        int len = to - from;
        int h = hash(text, from, to);
        int mask = (t.length >> 1) - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            Object k = SLOT.getAcquire(t, 2 * i);
            if (k == null) {
                return null;
            }
            if (k != DELETED) {
                String word = (String) k;
                if (word.length() == len && word.hashCode() == h
                        && text.regionMatches(from, word, 0, len)) {
                    return (V) SLOT.getAcquire(t, 2 * i + 1);
                }
            }
        }
    }

    V get(String word) {
        return get(word, 0, word.length());
    }

    /** Maps a word that is not present to a value. Writer only. */
    void put(String word, V value) {
        if (4 * (used + 1) > 3 * (table.length >> 1)) {
            rebuild();
        }
        Object[] t = table;
        int mask = (t.length >> 1) - 1;
        int i = spread(word.hashCode()) & mask;
        while (t[2 * i] != null) {
            if (word.equals(t[2 * i])) {
                throw new IllegalStateException("word already present: " + word);
            }
            i = (i + 1) & mask;
        }
        SLOT.setRelease(t, 2 * i + 1, value);
        SLOT.setRelease(t, 2 * i, word);
        used++;
        live++;
    }

    /** Removes a word if present. Writer only. */
    void remove(String word) {
        Object[] t = table;
        int mask = (t.length >> 1) - 1;
        for (int i = spread(word.hashCode()) & mask; t[2 * i] != null; i = (i + 1) & mask) {
            if (word.equals(t[2 * i])) {
                SLOT.setRelease(t, 2 * i, DELETED);
                SLOT.setRelease(t, 2 * i + 1, null);
                live--;
                if (live < (t.length >> 1) / 8 && t.length > 2 * 4) {
                    rebuild();
                }
                return;
            }
        }
    }

    int size() {
        return live;
    }

    /** The same value as {@code text.substring(from, to).hashCode()}. */
    static int hash(String text, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    /**
     * Scrambles a hash before masking it. String hashes of similar words ("w1", "w2", ...) are
     * consecutive numbers, which linear probing turns into long clusters; a multiplication by the
     * golden ratio spreads them over the table.
     */
    private static int spread(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    /** Copies the live entries into a new array sized for them and publishes it. */
    private void rebuild() {
        Object[] old = table;
        int capacity = 4;
        while (2 * (live + 1) > capacity) { // at most half full: the next rebuild is far away
            capacity <<= 1;
        }
        Object[] fresh = new Object[2 * capacity];
        int mask = capacity - 1;
        for (int j = 0; j < old.length; j += 2) {
            Object k = old[j];
            if (k != null && k != DELETED) {
                int i = spread(k.hashCode()) & mask;
                while (fresh[2 * i] != null) {
                    i = (i + 1) & mask;
                }
                fresh[2 * i] = k;
                fresh[2 * i + 1] = old[j + 1];
            }
        }
        used = live;
        table = fresh; // volatile write publishes the copied entries
    }
}
