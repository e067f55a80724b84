package io.warren.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The broker module's packages form no cycle: each one can be read, tested and changed knowing
 * only the packages below it. Reads the sources (imports and fully qualified names in code), so
 * it needs no bytecode tool; {@code (root)} is {@code io.warren.broker} itself.
 */
class PackageCyclesTest {

    /** A reference to a broker class: lower-case package segments, then the class name. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.warren\\.broker((?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void brokerPackagesFormNoCycle() throws IOException {
        Path sources = sourceRoot();
        Map<String, Set<String>> graph = new TreeMap<>();
        Map<String, Set<String>> why = new HashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String from = packageOf(sources.relativize(file.getParent()).toString().replace('/', '.'));
                Set<String> edges = graph.computeIfAbsent(from, k -> new TreeSet<>());
                for (String to : referencedPackages(file)) {
                    if (!to.equals(from)) {
                        edges.add(to);
                        why.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>()).add(file.getFileName().toString());
                    }
                }
            }
        }
        assertTrue(graph.size() > 5, "found the broker's packages under " + sources.toAbsolutePath());

        List<List<String>> cycles = stronglyConnected(graph);
        if (!cycles.isEmpty()) {
            StringBuilder report = new StringBuilder("package cycles in the broker module:");
            for (List<String> component : cycles) {
                report.append("\n  ").append(component);
                for (String from : component) {
                    for (String to : graph.get(from)) {
                        if (component.contains(to)) {
                            report.append("\n    ").append(from).append(" -> ").append(to)
                                    .append("  ").append(why.get(from + " -> " + to));
                        }
                    }
                }
            }
            fail(report.toString());
        }
    }

    private static Path sourceRoot() {
        Path module = Path.of(System.getProperty("basedir", "."));
        Path root = module.resolve("src/main/java/io/warren/broker");
        if (!Files.isDirectory(root)) {
            root = Path.of("broker/src/main/java/io/warren/broker"); // run from the repository root
        }
        return root;
    }

    private static String packageOf(String relative) {
        return relative.isEmpty() ? "(root)" : relative;
    }

    /** Packages named in imports and in fully qualified names in code (comments skipped). */
    private static Set<String> referencedPackages(Path file) {
        Set<String> found = new TreeSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean inComment = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (inComment) {
                int end = line.indexOf("*/");
                if (end < 0) {
                    continue;
                }
                line = line.substring(end + 2);
                inComment = false;
            }
            if (line.startsWith("/*")) {
                inComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("//") || line.startsWith("package ")) {
                continue;
            }
            int lineComment = line.indexOf("//");
            if (lineComment >= 0) {
                line = line.substring(0, lineComment);
            }
            Matcher m = REFERENCE.matcher(line);
            while (m.find()) {
                String pkg = m.group(1);
                found.add(packageOf(pkg.isEmpty() ? "" : pkg.substring(1)));
            }
        }
        return found;
    }

    /** Tarjan's algorithm: the components with more than one package are the cycles. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> result = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, result, counter);
            }
        }
        return result;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> result, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, result, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(null);
                result.add(component);
            }
        }
    }
}
