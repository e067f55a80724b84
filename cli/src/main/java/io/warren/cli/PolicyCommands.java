package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Policies and operator policies (/api/policies, /api/operator-policies): set, clear, list, with
 * rabbitmqctl's texts. The broker validates a definition; its reason is printed as rabbitmqctl
 * prints it ("Validation failed" and the keys it does not know).
 */
final class PolicyCommands {

    /** The two kinds differ only in their path and words. */
    enum Kind {
        POLICY("policies", "policy", "policy", "policies"),
        OPERATOR("operator-policies", "operator policy override", "operator policy", "operator policy overrides");

        final String path;
        /** rabbitmqctl's words: "Setting operator policy override ...", but "Clearing operator policy ...". */
        final String set;
        final String clear;
        final String list;

        Kind(String path, String set, String clear, String list) {
            this.path = path;
            this.set = set;
            this.clear = clear;
            this.list = list;
        }
    }

    private static final List<String> HEADER = List.of("vhost", "name", "pattern", "apply-to", "definition", "priority");

    /** rabbitmqctl prints the definition as JSON text, in JSON output too (a string). */
    private static final Columns COLUMNS = new Columns(HEADER, HEADER) {
        @Override
        Object value(String column, Map<String, Object> policy) {
            Object v = policy.get(column);
            return column.equals("definition") && v != null ? Json.write(v) : v;
        }
    };

    private PolicyCommands() {}

    abstract static class Set extends Verb {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Parameters(index = "1", paramLabel = "<pattern>")
        String pattern;

        @Parameters(index = "2", paramLabel = "<definition>")
        String definition;

        @Option(names = "--priority", paramLabel = "<priority>", defaultValue = "0",
                description = "Among policies that match a name, the highest priority applies (default: 0).")
        int priority;

        @Option(names = "--apply-to", paramLabel = "<queues|exchanges|all>", defaultValue = "all",
                description = "What the policy applies to (default: all).")
        String applyTo;

        int set(Kind kind) {
            String vhost = root.vhost();
            output().banner("Setting " + kind.set + " \"" + name
                    + "\" for pattern \"" + pattern + "\" to \"" + definition + "\" with priority \"" + priority
                    + "\" for vhost \"" + vhost + "\" ...");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pattern", pattern);
            body.put("definition", object(definition));
            body.put("priority", priority);
            body.put("apply-to", applyTo);
            Response r = api().put(path(kind.path, vhost, name), body);
            if (r.status() == 404) {
                throw Failures.vhostMissingOr(r, vhost, this);
            }
            failUnlessOk(r, this);
            return 0;
        }
    }

    abstract static class Clear extends Verb {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        int clear(Kind kind) {
            String vhost = root.vhost();
            output().banner("Clearing " + kind.clear + " \"" + name
                    + "\" on vhost \"" + vhost + "\" ...");
            Response r = api().delete(path(kind.path, vhost, name));
            if (r.status() == 404) {
                // rabbitmqctl says so both for a missing policy and a missing vhost, and exits 69
                Response list = api().get(path(kind.path, vhost));
                if (list.ok() || api().get(path("vhosts", vhost)).status() == 404) {
                    throw CliException.error(CliException.UNAVAILABLE, "Parameter does not exist");
                }
                throw Failures.of(r, root);
            }
            failUnlessOk(r, this);
            return 0;
        }
    }

    abstract static class Lister extends Verb.Listing {
        int list(Kind kind) {
            String vhost = root.vhost();
            output().banner("Listing " + kind.list + " for vhost \"" + vhost + "\" ...");
            Response r = api().get(path(kind.path, vhost));
            if (r.status() == 404) {
                throw Failures.vhostMissingOr(r, vhost, this);
            }
            output().table(HEADER, COLUMNS, Failures.require(r, root).list(), noHeaders);
            return 0;
        }
    }

    @Command(name = "set_policy", description = "Sets a policy in the vhost given by -p: <name> <pattern> "
            + "<definition>, e.g. set_policy ttl '^tmp\\.' '{\"message-ttl\": 60000}' --apply-to queues.")
    static final class SetPolicy extends Set {
        @Override
        public Integer call() {
            return set(Kind.POLICY);
        }
    }

    @Command(name = "clear_policy", description = "Clears a policy of the vhost given by -p.")
    static final class ClearPolicy extends Clear {
        @Override
        public Integer call() {
            return clear(Kind.POLICY);
        }
    }

    @Command(name = "list_policies", description = "Lists the policies of the vhost given by -p.")
    static final class ListPolicies extends Lister {
        @Override
        public Integer call() {
            return list(Kind.POLICY);
        }
    }

    @Command(name = "set_operator_policy", description = "Sets an operator policy (which caps what policies and "
            + "clients set) in the vhost given by -p: <name> <pattern> <definition>.")
    static final class SetOperatorPolicy extends Set {
        @Override
        public Integer call() {
            return set(Kind.OPERATOR);
        }
    }

    @Command(name = "clear_operator_policy", description = "Clears an operator policy of the vhost given by -p.")
    static final class ClearOperatorPolicy extends Clear {
        @Override
        public Integer call() {
            return clear(Kind.OPERATOR);
        }
    }

    @Command(name = "list_operator_policies", description = "Lists the operator policies of the vhost given by -p.")
    static final class ListOperatorPolicies extends Lister {
        @Override
        public Integer call() {
            return list(Kind.OPERATOR);
        }
    }

    /** The definition as a JSON object; anything else fails as rabbitmqctl's JSON decoding does. */
    private static Object object(String definition) {
        try {
            if (Json.parse(definition) instanceof Map<?, ?> m) {
                return m;
            }
        } catch (IllegalArgumentException e) {
            // as not an object
        }
        throw CliException.error(CliException.UNAVAILABLE, "JSON decoding error. Reason: badarg");
    }

    /** A refused definition: RabbitMQ's API HTML-escapes its reason ("&lt;&lt;"); rabbitmqctl's text has none. */
    private static void failUnlessOk(Response r, Verb verb) {
        if (r.status() == 400) {
            throw CliException.error(CliException.UNAVAILABLE, r.reason().replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", "\"").replace("&amp;", "&").stripTrailing());
        }
        Failures.require(r, verb.root);
    }
}
