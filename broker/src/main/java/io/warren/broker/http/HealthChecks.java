package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RabbitMQ's {@code /api/health/checks/*}: 200 {@code {"status":"ok",..}} when the check
 * passes, 503 {@code {"status":"failed","reason":..}} when it does not, 400 for a malformed
 * argument, with RabbitMQ's texts. Warren is a single node: the quorum and mirror checks pass
 * with RabbitMQ's "single node cluster", and the cluster-wide alarm check is the local one.
 */
final class HealthChecks {

    private final ApiContext context;
    private final NodeInfo node;

    HealthChecks(ApiContext context, NodeInfo node) {
        this.context = context;
        this.node = node;
    }

    /** {@code health / checks / name [/ arg ...]}. */
    void route(ApiHandler.Request r, HttpResponses reply) {
        List<String> p = r.path();
        int n = p.size();
        ApiHandler.only(n >= 3 && p.get(1).equals("checks"));
        r.allow(ApiHandler.GET);
        switch (p.get(2)) {
            case "alarms" -> alarms(n, "There are alarms in effect in the cluster", reply);
            case "local-alarms" -> alarms(n, "There are alarms in effect on the node", reply);
            case "port-listener" -> {
                ApiHandler.only(n == 4);
                portListener(p.get(3), reply);
            }
            case "protocol-listener" -> {
                ApiHandler.only(n == 4);
                protocolListener(p.get(3), reply);
            }
            case "virtual-hosts" -> {
                ApiHandler.only(n == 3);
                reply.json(HttpResponseStatus.OK, ok()); // a vhost here is never down
            }
            case "node-is-quorum-critical", "node-is-mirror-sync-critical" -> {
                ApiHandler.only(n == 3);
                Map<String, Object> m = ok();
                m.put("reason", "single node cluster");
                reply.json(HttpResponseStatus.OK, m);
            }
            case "certificate-expiration" -> {
                ApiHandler.only(n == 5);
                certificateExpiration(p.get(3), p.get(4), reply);
            }
            default -> throw ApiError.notFound();
        }
    }

    private static Map<String, Object> ok() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        return m;
    }

    private static Map<String, Object> failed(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "failed");
        m.put("reason", reason);
        return m;
    }

    private void alarms(int n, String reason, HttpResponses reply) {
        ApiHandler.only(n == 3);
        List<Object> alarms = new ArrayList<>();
        if (context.memoryAlarm().raised()) {
            alarms.add(Map.of("node", Views.NODE, "resource", "memory"));
        }
        if (context.diskAlarm() != null && context.diskAlarm().raised()) {
            alarms.add(Map.of("node", Views.NODE, "resource", "disk"));
        }
        if (alarms.isEmpty()) {
            reply.json(HttpResponseStatus.OK, ok());
            return;
        }
        Map<String, Object> m = failed(reason);
        m.put("alarms", alarms);
        reply.json(HttpResponseStatus.SERVICE_UNAVAILABLE, m);
    }

    private void portListener(String text, HttpResponses reply) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("Invalid port");
        }
        List<Integer> ports = new ArrayList<>();
        for (NodeInfo.Listener l : node.bound()) {
            ports.add(l.port());
        }
        if (ports.contains(port)) {
            Map<String, Object> m = ok();
            m.put("port", port);
            reply.json(HttpResponseStatus.OK, m);
            return;
        }
        Map<String, Object> m = failed("No active listener");
        m.put("missing", port);
        m.put("ports", ports);
        reply.json(HttpResponseStatus.SERVICE_UNAVAILABLE, m);
    }

    private void protocolListener(String text, HttpResponses reply) {
        String protocol = normalize(text);
        List<String> protocols = new ArrayList<>();
        for (NodeInfo.Listener l : node.bound()) {
            protocols.add(l.protocol());
        }
        if (protocols.contains(protocol)) {
            Map<String, Object> m = ok();
            m.put("protocol", protocol);
            reply.json(HttpResponseStatus.OK, m);
            return;
        }
        Map<String, Object> m = failed("No active listener");
        m.put("missing", protocol);
        m.put("protocols", protocols);
        reply.json(HttpResponseStatus.SERVICE_UNAVAILABLE, m);
    }

    /** RabbitMQ's aliases of a protocol name (its rabbit_mgmt_wm_health_check_protocol_listener). */
    private static String normalize(String protocol) {
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "amqp", "amqp0.9.1", "amqp0-9-1", "amqp091", "amqp0.9", "amqp0-9", "amqp09" -> "amqp";
            case "amqps", "amqp/ssl", "amqps0.9.1", "amqps0-9-1", "amqps091", "amqp0.9.1/ssl", "amqp0-9-1/ssl"
                    -> "amqp/ssl";
            case "http", "management", "http/management" -> "http";
            case "https", "management/ssl", "https/management" -> "https";
            default -> protocol;
        };
    }

    /**
     * Fails when the TLS listeners' certificate expires within the period (or already has);
     * passes without TLS, as RabbitMQ does with no TLS listener.
     */
    private void certificateExpiration(String within, String unit, HttpResponses reply) {
        long amount;
        try {
            amount = Long.parseLong(within);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("Invalid expiration value.");
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime limit = switch (unit) {
            case "days" -> now.plusDays(amount);
            case "weeks" -> now.plusWeeks(amount);
            case "months" -> now.plusMonths(amount);
            case "years" -> now.plusYears(amount);
            default -> throw ApiError.badRequest("Time unit not recognised. Supported units: days, weeks, months,"
                    + " years.");
        };
        java.nio.file.Path pem = node.certificate();
        if (pem == null) {
            reply.json(HttpResponseStatus.OK, ok());
            return;
        }
        List<Object> expired = new ArrayList<>();
        for (X509Certificate cert : certificates(pem)) {
            Instant notAfter = cert.getNotAfter().toInstant();
            if (notAfter.isBefore(limit.toInstant())) {
                for (NodeInfo.Listener l : node.bound()) {
                    if (l.protocol().endsWith("/ssl") || l.protocol().equals("https")) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("node", Views.NODE);
                        m.put("protocol", l.protocol());
                        m.put("interface", l.ip());
                        m.put("port", l.port());
                        m.put("certfile", pem.toString());
                        m.put("expiry_date", notAfter.toString());
                        expired.add(m);
                    }
                }
            }
        }
        if (expired.isEmpty()) {
            reply.json(HttpResponseStatus.OK, ok());
            return;
        }
        Map<String, Object> m = failed("Certificates expiring");
        m.put("expired", expired);
        reply.json(HttpResponseStatus.SERVICE_UNAVAILABLE, m);
    }

    private static List<X509Certificate> certificates(java.nio.file.Path pem) {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the TLS certificate " + pem + ": " + e.getMessage(), e);
        }
        return out;
    }
}
