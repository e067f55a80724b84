package io.warren.broker.policy;

import io.warren.broker.queue.AppliedPolicy;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueuePolicy;
import io.warren.exchange.Exchange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The policies and operator policies of one vhost, and which of them applies to a queue or an
 * exchange: of those whose pattern matches and whose apply-to covers the object, the one of
 * highest priority (ties: the first by name; RabbitMQ leaves them unspecified). One policy and
 * one operator policy per object; {@link EffectivePolicy} combines them with the object's own
 * arguments.
 *
 * <p>Concurrency: changes and applications are serialised on this object, so a queue or exchange
 * never ends up with a policy older than the latest change; the lists are immutable snapshots in
 * volatiles, read without the lock by the HTTP API.
 */
public final class VhostPolicies {

    private static final Comparator<Policy> ORDER = Comparator
            .comparingDouble((Policy p) -> -p.priority().doubleValue()).thenComparing(Policy::name);

    private volatile List<Policy> policies = List.of();
    private volatile List<Policy> operatorPolicies = List.of();

    /** Policies (or operator policies), highest priority first. */
    public List<Policy> list(boolean operator) {
        return operator ? operatorPolicies : policies;
    }

    public Policy find(String name, boolean operator) {
        for (Policy p : list(operator)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Adds or replaces a policy (the caller re-applies); answers the one it replaced, or null. */
    public synchronized Policy put(Policy policy, boolean operator) {
        Policy old = find(policy.name(), operator);
        List<Policy> next = new ArrayList<>(list(operator));
        next.remove(old);
        next.add(policy);
        next.sort(ORDER);
        set(List.copyOf(next), operator);
        return old;
    }

    /** Removes a policy (the caller re-applies); answers it, or null when there was none. */
    public synchronized Policy remove(String name, boolean operator) {
        Policy old = find(name, operator);
        if (old != null) {
            List<Policy> next = new ArrayList<>(list(operator));
            next.remove(old);
            set(List.copyOf(next), operator);
        }
        return old;
    }

    private void set(List<Policy> list, boolean operator) {
        if (operator) {
            operatorPolicies = list;
        } else {
            policies = list;
        }
    }

    /** Gives the queue the policies that match it now; a queue whose outcome is unchanged is left alone. */
    public synchronized void applyTo(Queue q) {
        boolean quorum = q.argumentPolicy().quorum();
        Policy policy = best(policies, p -> p.matchesQueue(q.name(), quorum));
        Policy operator = best(operatorPolicies, p -> p.matchesQueue(q.name(), quorum));
        Map<String, Object> def = EffectivePolicy.definition(policy, operator);
        QueuePolicy effective = def.isEmpty() ? q.argumentPolicy()
                : QueuePolicy.of(EffectivePolicy.queueArguments(q.definition().arguments(), def));
        AppliedPolicy names = new AppliedPolicy(policy == null ? null : policy.name(),
                operator == null ? null : operator.name(), def);
        if (!effective.equals(q.policy()) || !names.equals(q.appliedPolicy())) {
            q.applyPolicy(effective, names);
        }
    }

    /** Gives the exchange the policy that matches it now (its alternate-exchange, the only key for exchanges). */
    public synchronized void applyTo(Exchange x) {
        if (x.isDefault()) {
            return; // the default exchange takes no policy in RabbitMQ either: it has no alternate
        }
        Policy policy = best(policies, p -> p.matchesExchange(x.name()));
        Object ae = policy == null ? null : policy.definition().get("alternate-exchange");
        x.policy(policy == null ? null : policy.name(), ae instanceof String s ? s : null);
    }

    private static Policy best(List<Policy> sorted, java.util.function.Predicate<Policy> matches) {
        for (Policy p : sorted) {
            if (matches.test(p)) {
                return p;
            }
        }
        return null;
    }
}
