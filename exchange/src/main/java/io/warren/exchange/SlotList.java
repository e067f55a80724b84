package io.warren.exchange;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A list that one writer edits in place while any number of readers scan it without a lock.
 * Exchange types keep their destinations in it (per routing key, per trie node, or all of them).
 *
 * <p>Layout: one array of slots. {@link #add} writes the next never-used slot; {@link #remove}
 * clears the element's slot (each element remembers its index, so removal is O(1)). When the
 * array is full, or fewer than a quarter of its slots are live, the writer copies the live
 * elements into a new array and publishes it. Both operations are amortised O(1), so binding
 * 100k queues to one fanout exchange costs O(n), not the O(n²) of copying the array on each bind.
 *
 * <p>Concurrency: one writer at a time (the {@link Topology}'s lock); readers never block.
 * Elements are published with release stores and read with acquire loads, so a reader that sees
 * an element sees it fully built. A reader scans the array it loaded: an element present for the
 * whole scan stays in that array's slot (slots are only ever cleared by its own removal, never
 * reused for another element) and in every array published after it, so it is never missed. An
 * element added or removed during the scan may or may not be seen.
 *
 * @param <T> the element type; an element belongs to at most one list at a time
 */
public final class SlotList<T extends SlotList.Element> {

    /** Base class of elements: carries the element's slot index, owned by the list's writer. */
    public abstract static class Element {
        int slot = -1;

        protected Element() {
        }
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final Object[] EMPTY = new Object[0];

    private volatile Object[] slots = EMPTY;
    private int end;   // writer only: first never-used slot of the current array
    private int live;  // writer only

    /** Appends an element. Writer only. */
    public void add(T element) {
        if (element.slot >= 0) {
            throw new IllegalStateException("element already in a list");
        }
        Object[] array = slots;
        if (end == array.length) {
            array = republish(Math.max(1, 2 * (live + 1)));
        }
        element.slot = end;
        SLOT.setRelease(array, end++, element);
        live++;
    }

    /** Removes an element added to this list. Writer only. */
    public void remove(T element) {
        Object[] array = slots;
        int slot = element.slot;
        if (slot < 0 || slot >= array.length || array[slot] != element) {
            throw new IllegalStateException("element not in this list");
        }
        SLOT.setRelease(array, slot, null);
        element.slot = -1;
        live--;
        if (live < array.length / 4) {
            republish(2 * live);
        }
    }

    /**
     * Gives up the list: returns its elements, which may then join other lists, and leaves the
     * array as it is for readers still scanning it. The list must not be used afterwards. Writer
     * only.
     */
    public List<T> abandon() {
        Object[] array = slots;
        List<T> elements = new ArrayList<>(live);
        for (int i = 0; i < end; i++) {
            @SuppressWarnings("unchecked")
            T element = (T) array[i];
            if (element != null) {
                element.slot = -1;
                elements.add(element);
            }
        }
        live = 0;
        end = array.length; // any further add would republish, never write into the array
        return elements;
    }

    /** Number of elements. Writer only. */
    public int size() {
        return live;
    }

    /** Whether the list holds no element. Writer only. */
    public boolean isEmpty() {
        return live == 0;
    }

    /** The current array, for a reader to scan with {@link #at}; may contain nulls (gaps). */
    public Object[] array() {
        return slots;
    }

    /** Element {@code i} of an array obtained from {@link #array()}, or null for a gap. */
    @SuppressWarnings("unchecked")
    public static <T> T at(Object[] array, int i) {
        return (T) SLOT.getAcquire(array, i);
    }

    /** Yields every element of a list of edges to {@code sink}. Any thread. */
    public static void emitAll(SlotList<Edge> list, EdgeSink sink) {
        Object[] array = list.slots;
        for (int i = 0; i < array.length; i++) {
            Edge edge = at(array, i);
            if (edge != null) {
                sink.accept(edge);
            }
        }
    }

    /** Copies the live elements into a fresh array of {@code capacity} slots and publishes it. */
    private Object[] republish(int capacity) {
        Object[] old = slots;
        Object[] fresh = capacity == 0 ? EMPTY : new Object[capacity];
        int n = 0;
        for (int i = 0; i < end; i++) {
            Object o = old[i];
            if (o != null) {
                ((Element) o).slot = n;
                fresh[n++] = o;
            }
        }
        end = n;
        slots = fresh; // volatile write publishes the copied elements with the array
        return fresh;
    }
}
