package io.warren.broker.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the API says about the node itself that the broker's objects do not hold: when it
 * started, its listeners (registered by the broker once each is bound), and the cluster name
 * (RabbitMQ's {@code cluster_name}; settable through {@code PUT /api/cluster-name}, kept in
 * memory only: a restart brings back the default, the node name).
 *
 * <p>Concurrency: listeners are added at start-up and read by requests (copy-on-write list);
 * the cluster name is a volatile field.
 */
public final class NodeInfo {

    /** One bound listener: RabbitMQ's protocol name ("amqp", "amqp/ssl", "http"), address, port. */
    record Listener(String protocol, String ip, int port) {}

    private final long startMillis = System.currentTimeMillis();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile String clusterName = Views.NODE;
    /** The TLS listeners' certificate file (PEM), or null without TLS. */
    private volatile java.nio.file.Path certificate;

    /** The broker, after binding a listener. */
    public void listening(String protocol, String ip, int port) {
        listeners.add(new Listener(protocol, ip, port));
    }

    /** The broker, when its TLS listeners serve the certificate in {@code pem}. */
    public void certificate(java.nio.file.Path pem) {
        this.certificate = pem;
    }

    java.nio.file.Path certificate() {
        return certificate;
    }

    long uptimeMillis() {
        return System.currentTimeMillis() - startMillis;
    }

    String clusterName() {
        return clusterName;
    }

    void clusterName(String name) {
        this.clusterName = name;
    }

    List<Listener> bound() {
        return listeners;
    }

    /** RabbitMQ's overview "listeners" (socket options left out: Warren's are not Erlang's). */
    List<Object> listeners() {
        List<Object> out = new ArrayList<>();
        for (Listener l : listeners) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", Views.NODE);
            m.put("protocol", l.protocol());
            m.put("ip_address", l.ip());
            m.put("port", l.port());
            out.add(m);
        }
        return out;
    }
}
