package io.warren.broker.admin;

import io.warren.broker.persistence.Persistence;
import io.warren.broker.persistence.TopologyRecords;
import io.warren.broker.policy.Policy;
import io.warren.broker.policy.PolicyException;
import io.warren.broker.policy.PolicyRules;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.exchange.Exchange;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's runtime parameters that Warren has: policies and operator policies per vhost, and
 * global parameters. Each change is written to the store (on disk when the method returns, as
 * {@link Administration}'s changes) and logged, and a policy change is applied at once to every
 * queue and exchange of its vhost.
 *
 * <p>Concurrency: changes are serialised on this object (they are rare); reads take the
 * snapshots the vhosts' {@link io.warren.broker.policy.VhostPolicies} and {@link #global} keep.
 */
public final class RuntimeParameters {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeParameters.class);

    private final VirtualHosts vhosts;
    /** Null when nothing is kept on disk. */
    private final Persistence persistence;
    private final Runnable awaitDurable;
    /** Global parameters by name, in the order set: an immutable snapshot, replaced on change. */
    private volatile Map<String, Object> global = Map.of();

    RuntimeParameters(VirtualHosts vhosts, Persistence persistence, Runnable awaitDurable) {
        this.vhosts = vhosts;
        this.persistence = persistence;
        this.awaitDurable = awaitDurable;
    }

    // ---- policies ---------------------------------------------------------------------------

    /**
     * Sets a policy (or operator policy) of an existing vhost and applies it; answers whether
     * it was created. The caller validated it ({@link PolicyRules#parse}).
     */
    public synchronized boolean putPolicy(Policy p, boolean operator, String actingUser) {
        VirtualHost v = vhosts.find(p.vhost());
        if (v == null) {
            throw new IllegalArgumentException("no vhost " + p.vhost());
        }
        if (persistence != null) {
            persistence.policyChanged(p, operator);
        }
        awaitDurable.run();
        boolean created = v.policies().put(p, operator) == null;
        LOG.info("Setting {} '{}' for pattern '{}' to {} with priority '{}' for vhost '{}' by user '{}'",
                kind(operator), p.name(), p.pattern(), PolicyRules.erlang(p.definition()), p.priority(), p.vhost(),
                actingUser);
        applyAll(v);
        return created;
    }

    /** Clears a policy; false when the vhost has none of that name. */
    public synchronized boolean deletePolicy(String vhost, String name, boolean operator, String actingUser) {
        VirtualHost v = vhosts.find(vhost);
        if (v == null || v.policies().find(name, operator) == null) {
            return false;
        }
        if (persistence != null) {
            persistence.policyDeleted(vhost, name, operator);
        }
        awaitDurable.run();
        v.policies().remove(name, operator);
        LOG.info("Clearing {} '{}' for vhost '{}' by user '{}'", kind(operator), name, vhost, actingUser);
        applyAll(v);
        return true;
    }

    private static String kind(boolean operator) {
        return operator ? "operator policy" : "policy";
    }

    /** Re-applies the vhost's policies to all its queues and exchanges. */
    private static void applyAll(VirtualHost v) {
        for (Queue q : v.queues()) {
            v.policies().applyTo(q);
        }
        for (Exchange x : v.topology().exchanges()) {
            v.policies().applyTo(x);
        }
    }

    // ---- global parameters ------------------------------------------------------------------

    public Map<String, Object> globalParameters() {
        return global;
    }

    /** Sets a global parameter to any JSON value; answers whether it was created. */
    public synchronized boolean putGlobal(String name, Object value) {
        if (persistence != null) {
            persistence.globalParameterChanged(name, value);
        }
        awaitDurable.run();
        Map<String, Object> next = new LinkedHashMap<>(global);
        boolean created = next.put(name, value) == null && !global.containsKey(name);
        global = java.util.Collections.unmodifiableMap(next);
        LOG.info("Setting global parameter '{}' to {}", name, PolicyRules.erlang(value));
        return created;
    }

    public synchronized boolean deleteGlobal(String name) {
        if (!global.containsKey(name)) {
            return false;
        }
        if (persistence != null) {
            persistence.globalParameterDeleted(name);
        }
        awaitDurable.run();
        Map<String, Object> next = new LinkedHashMap<>(global);
        next.remove(name);
        global = java.util.Collections.unmodifiableMap(next);
        LOG.info("Clearing global parameter '{}'", name);
        return true;
    }

    // ---- start-up ---------------------------------------------------------------------------

    /**
     * Start-up, once the vhosts are back and before their queues are: reads the policies back,
     * so that each recovered queue is declared with its policy (and its stored messages are
     * judged by the policy's TTL). A policy of a vhost that no longer exists (a deletion cut
     * short) is dropped.
     */
    public synchronized void recoverPolicies() {
        for (Map.Entry<String, byte[]> e : persistence.records(TopologyRecords.POLICY).entrySet()) {
            Map<String, Object> record = TopologyRecords.policy(e.getValue());
            String vhost = String.valueOf(record.get("vhost"));
            String name = String.valueOf(record.get("name"));
            boolean operator = Boolean.TRUE.equals(record.get("operator"));
            VirtualHost v = vhosts.find(vhost);
            if (v == null) {
                persistence.policyDeleted(vhost, name, operator);
                continue;
            }
            try {
                v.policies().put(PolicyRules.parse(vhost, name, record, operator), operator);
            } catch (PolicyException ex) {
                LOG.warn("ignoring stored {} '{}' in vhost '{}': {}", kind(operator), name, vhost,
                        ex.getMessage().strip());
            }
        }
    }

    /**
     * Start-up, after the topology's recovery and before the listeners open: reads the global
     * parameters back and applies the policies to the recovered exchanges (queues got theirs
     * when they were declared).
     */
    public synchronized void recover() {
        if (persistence == null) {
            return;
        }
        Map<String, Object> g = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : persistence.records(TopologyRecords.GLOBAL_PARAMETER).entrySet()) {
            g.put(e.getKey().substring(TopologyRecords.GLOBAL_PARAMETER.length()),
                    TopologyRecords.globalParameter(e.getValue()));
        }
        global = java.util.Collections.unmodifiableMap(g);
        for (VirtualHost v : vhosts.all()) {
            applyAll(v);
        }
    }
}
