package io.warren.broker.metrics;

import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.exchange.Exchange;
import java.util.function.Predicate;

/**
 * The detailed endpoint's topology families, as RabbitMQ names them: {@code vhost_status}
 * ({@code rabbitmq_cluster_vhost_status}), {@code exchange_names} and {@code exchange_bindings}.
 * A vhost that exists in Warren is running (there is no stopped state), hence status 1.
 */
final class TopologyFamilies {

    private TopologyFamilies() {}

    static void writeVhostStatus(PrometheusText t, VirtualHosts vhosts, Predicate<String> wanted) {
        t.family("rabbitmq_cluster_vhost_status", "gauge", "Whether a given vhost is running");
        for (VirtualHost v : vhosts.all()) {
            if (wanted.test(v.name())) {
                t.sample("rabbitmq_cluster_vhost_status", 1, "vhost", v.name());
            }
        }
    }

    static void writeExchangeNames(PrometheusText t, VirtualHosts vhosts, Predicate<String> wanted) {
        t.family("rabbitmq_cluster_exchange_name", "gauge",
                "Enumerates exchanges without any additional info. This value is cluster-wide."
                        + " A cheaper alternative to `exchange_bindings`");
        for (VirtualHost v : vhosts.all()) {
            if (wanted.test(v.name())) {
                for (Exchange x : v.topology().exchanges()) {
                    if (!x.isDefault()) {
                        t.sample("rabbitmq_cluster_exchange_name", 1, "vhost", v.name(), "exchange", x.name(),
                                "type", x.type());
                    }
                }
            }
        }
    }

    static void writeExchangeBindings(PrometheusText t, VirtualHosts vhosts, Predicate<String> wanted) {
        t.family("rabbitmq_cluster_exchange_bindings", "gauge",
                "Number of bindings for an exchange. This value is cluster-wide.");
        for (VirtualHost v : vhosts.all()) {
            if (wanted.test(v.name())) {
                for (Exchange x : v.topology().exchanges()) {
                    if (!x.isDefault()) {
                        t.sample("rabbitmq_cluster_exchange_bindings", v.topology().bindingsFrom(x.name()).size(),
                                "vhost", v.name(), "exchange", x.name(), "type", x.type());
                    }
                }
            }
        }
    }
}
