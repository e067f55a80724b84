package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's own Grafana dashboard, "RabbitMQ-Overview", works on the broker: every metric its
 * PromQL reads is in {@code /metrics} after some traffic, and every label it joins or groups on
 * is there too. The expressions are in {@code grafana/rabbitmq-overview-promql.txt}, extracted
 * from the dashboard's JSON (the file says from where).
 *
 * <p>Labels the dashboard expects from the scrape, not from the broker, are not asked of it:
 * {@code instance} (Prometheus adds it), {@code namespace} (Kubernetes), and
 * {@code rabbitmq_cluster} on other series than {@code rabbitmq_identity_info} (the dashboard's
 * prometheus.yml adds it by relabelling; RabbitMQ's own series do not carry it either).
 */
class GrafanaOverviewDashboardTest extends CompatTest {

    private static final Set<String> SCRAPE_LABELS = Set.of("instance", "namespace", "job");
    private static final String IDENTITY = "rabbitmq_identity_info";

    private static final Pattern SELECTOR = Pattern.compile("(rabbitmq_[a-z_]+)\\s*\\{([^}]*)\\}");
    private static final Pattern SELECTOR_LABEL = Pattern.compile("([a-z_]+)\\s*=");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|on|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern METRIC = Pattern.compile("\\brabbitmq_[a-z_]+\\b");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((rabbitmq_[a-z_]+)[^,]*,\\s*([a-z_]+)\\)");

    @Test
    void everyMetricAndLabelOfTheOverviewDashboardIsExposed() throws Exception {
        traffic();
        List<String> expressions = expressions();
        assertEquals(43, expressions.size(), "the fixture's expressions");
        PrometheusScrape scrape = PrometheusScrape.get("/metrics");

        Set<String> missing = new TreeSet<>();
        for (String expr : expressions) {
            for (String metric : metrics(expr)) {
                if (scrape.named(metric).isEmpty()) {
                    missing.add(metric + " (in " + expr + ")");
                }
            }
            for (String label : joinedLabels(expr)) {
                if (!hasLabel(scrape, IDENTITY, label)) {
                    missing.add(IDENTITY + " label " + label + " (in " + expr + ")");
                }
            }
            Matcher lv = LABEL_VALUES.matcher(expr);
            while (lv.find()) {
                if (!SCRAPE_LABELS.contains(lv.group(2)) && !hasLabel(scrape, lv.group(1), lv.group(2))) {
                    missing.add(lv.group(1) + " label " + lv.group(2) + " (in " + expr + ")");
                }
            }
            Matcher sel = SELECTOR.matcher(expr);
            while (sel.find()) {
                Matcher l = SELECTOR_LABEL.matcher(sel.group(2));
                while (l.find()) {
                    String label = l.group(1);
                    boolean fromScrape = SCRAPE_LABELS.contains(label)
                            || label.equals("rabbitmq_cluster") && !sel.group(1).equals(IDENTITY);
                    if (!fromScrape && !hasLabel(scrape, sel.group(1), label)) {
                        missing.add(sel.group(1) + " label " + label + " (in " + expr + ")");
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), () -> "missing from /metrics:\n  " + String.join("\n  ", missing));
    }

    @Test
    void theIdentityJoinMatchesOneSeriesWithValueOne() throws Exception {
        PrometheusScrape scrape = PrometheusScrape.get("/metrics");
        List<PrometheusScrape.Sample> identity = scrape.named(IDENTITY);
        assertEquals(1, identity.size(), scrape.text);
        assertEquals(1.0, identity.get(0).value());
        for (String label : List.of("rabbitmq_node", "rabbitmq_cluster", "rabbitmq_cluster_permanent_id")) {
            String value = identity.get(0).labels().get(label);
            assertTrue(value != null && !value.isEmpty(), label + " in " + identity.get(0));
        }
        assertEquals("untyped", scrape.types.get(IDENTITY));
        assertEquals("untyped", scrape.types.get("rabbitmq_build_info"));
        assertFalse(scrape.named("rabbitmq_build_info").get(0).labels().getOrDefault("rabbitmq_version", "").isEmpty());
    }

    /** A publisher with confirms, a consumer, a basic.get: the families the dashboard graphs have samples. */
    private void traffic() throws Exception {
        Channel ch = channel();
        String q = queueName("grafana");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "1", "2", "3");
        get(ch, q, true);
        ch.basicConsume(q, false, (tag, d) -> { }, tag -> { });
    }

    static List<String> expressions() throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GrafanaOverviewDashboardTest.class.getResourceAsStream("/grafana/rabbitmq-overview-promql.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    /**
     * The metric names of an expression: its rabbitmq_ identifiers outside selectors, grouping
     * clauses and label_values' label argument.
     */
    static Set<String> metrics(String expr) {
        String bare = GROUPING.matcher(expr.replaceAll("\\{[^}]*\\}", "")).replaceAll("")
                .replaceAll("(label_values\\([^,]*),\\s*[a-z_]+\\)", "$1)"); // its label argument
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(bare);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The labels group_left copies from rabbitmq_identity_info (on(...) joins on scrape labels). */
    private static Set<String> joinedLabels(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher g = GROUPING.matcher(expr);
        while (g.find()) {
            for (String label : g.group(2).split(",")) {
                String l = label.trim();
                if (!l.isEmpty() && !SCRAPE_LABELS.contains(l) && g.group(1).equals("group_left")) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    private static boolean hasLabel(PrometheusScrape scrape, String metric, String label) {
        return scrape.named(metric).stream().anyMatch(s -> s.labels().containsKey(label));
    }
}
