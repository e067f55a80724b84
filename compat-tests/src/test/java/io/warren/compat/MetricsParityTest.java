package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Warren's {@code /metrics} against a real RabbitMQ's, family by family: every rabbitmq_ family
 * both expose has the same {@code # TYPE} and {@code # HELP}, and Warren's labels are among
 * RabbitMQ's (RabbitMQ splits some counters by queue type, which Warren does not). Runs only
 * when {@code -Dwarren.compat.referenceMetrics=http://localhost:15692} names a RabbitMQ with its
 * Prometheus plugin; Warren-only, since it is Warren that is compared.
 */
@WarrenOnly
class MetricsParityTest {

    private static final Pattern HELP = Pattern.compile("(?m)^# HELP (\\S+) ?(.*)$");

    @Test
    void sharedFamiliesHaveRabbitMqsTypesHelpAndLabels() throws Exception {
        String reference = System.getProperty("warren.compat.referenceMetrics", "");
        assumeTrue(!reference.isBlank(), "no -Dwarren.compat.referenceMetrics: nothing to compare with");
        PrometheusScrape rabbit = PrometheusScrape.get(reference.replaceAll("/+$", ""), "/metrics");
        PrometheusScrape warren = PrometheusScrape.get("/metrics");
        Map<String, String> rabbitHelp = helps(rabbit.text);
        Map<String, String> warrenHelp = helps(warren.text);
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, String> family : warren.types.entrySet()) {
            String name = family.getKey();
            if (!name.startsWith("rabbitmq_") || !rabbit.types.containsKey(name)) {
                continue;
            }
            compared++;
            if (!family.getValue().equals(rabbit.types.get(name))) {
                differences.add(name + " TYPE " + family.getValue() + ", RabbitMQ " + rabbit.types.get(name));
            }
            if (!warrenHelp.get(name).equals(rabbitHelp.get(name))) {
                differences.add(name + " HELP '" + warrenHelp.get(name) + "', RabbitMQ '" + rabbitHelp.get(name) + "'");
            }
            Set<String> rabbitLabels = labels(rabbit, name);
            Set<String> warrenLabels = labels(warren, name);
            // a family RabbitMQ exposes without samples (nothing to count yet) says nothing of labels
            // and rabbitmq_build_info says what Warren is (product, warren_version, java_version), not Erlang
            if (!rabbit.named(name).isEmpty() && !name.equals("rabbitmq_build_info")
                    && !rabbitLabels.containsAll(warrenLabels)) {
                differences.add(name + " labels " + warrenLabels + ", RabbitMQ " + rabbitLabels);
            }
        }
        int n = compared;
        assertTrue(n > 50, () -> "only " + n + " families in common");
        assertTrue(differences.isEmpty(), () -> String.join("\n", differences));
    }

    private static Map<String, String> helps(String text) {
        Map<String, String> out = new HashMap<>();
        Matcher m = HELP.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static Set<String> labels(PrometheusScrape s, String name) {
        Set<String> out = new HashSet<>();
        s.named(name).forEach(sample -> out.addAll(sample.labels().keySet()));
        return out;
    }
}
