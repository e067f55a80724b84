package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Vhost limits (max-connections, max-queues) and user limits (max-connections, max-channels), set
 * from a JSON object as rabbitmqctl's. The API sets one limit per request, so a command is several
 * requests; the broker validates each (a refused one stops the command, the earlier ones stay set).
 */
final class LimitCommands {

    private LimitCommands() {}

    @Command(name = "set_vhost_limits", description = "Sets the limits of the vhost given by -p, replacing its "
            + "current ones, e.g. '{\"max-connections\": 10, \"max-queues\": 100}'; a negative value is no limit.")
    static final class SetVhostLimits extends Verb {
        @Parameters(index = "0", paramLabel = "<definition>")
        String definition;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            output().banner("Setting vhost limits to \"" + definition + "\" for vhost \"" + vhost + "\" ...");
            Map<String, Object> limits = limits(definition);
            Map<String, Object> current = vhostLimits(this, vhost);
            for (Map.Entry<String, Object> e : limits.entrySet()) {
                Failures.require(api().put(path("vhost-limits", vhost, e.getKey()), Map.of("value", e.getValue())),
                        root);
            }
            // rabbitmqctl's definition replaces the vhost's limits: a limit left out is cleared
            for (String name : current.keySet()) {
                if (!limits.containsKey(name)) {
                    Failures.require(api().delete(path("vhost-limits", vhost, name)), root);
                }
            }
            return 0;
        }
    }

    @Command(name = "clear_vhost_limits", description = "Clears all limits of the vhost given by -p.")
    static final class ClearVhostLimits extends Verb {
        @Override
        public Integer call() {
            String vhost = root.vhost();
            output().banner("Clearing vhost \"" + vhost + "\" limits ...");
            Response r = api().get(path("vhost-limits", vhost));
            Map<String, Object> current = r.status() == 404 ? Map.of() : value(Failures.require(r, root));
            if (current.isEmpty()) {
                throw CliException.error(CliException.UNAVAILABLE, "Parameter does not exist");
            }
            for (String name : current.keySet()) {
                Failures.require(api().delete(path("vhost-limits", vhost, name)), root);
            }
            return 0;
        }
    }

    @Command(name = "list_vhost_limits", description = "Shows the limits of the vhost given by -p, or of all.")
    static final class ListVhostLimits extends Verb.Listing {
        @Option(names = "--global", description = "All vhosts' limits.")
        boolean global;

        @Override
        public Integer call() {
            if (global) {
                output().banner("Listing limits for all vhosts ...");
                table(this, Failures.require(api().get(path("vhost-limits")), root), "vhost");
                return 0;
            }
            String vhost = root.vhost();
            output().banner("Listing limits for vhost \"" + vhost + "\" ...");
            Map<String, Object> current = vhostLimits(this, vhost);
            // rabbitmqctl prints nothing for no limits: an empty line, or [] in JSON
            output().result(current.isEmpty() ? (output().json() ? "[]" : "") : Json.write(current));
            return 0;
        }
    }

    @Command(name = "set_user_limits", description = "Sets limits of a user, e.g. '{\"max-connections\": 10, "
            + "\"max-channels\": 20}'; limits left out keep their value; a negative value is no limit.")
    static final class SetUserLimits extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<definition>")
        String definition;

        @Override
        public Integer call() {
            output().banner("Setting user limits to \"" + definition + "\" for user \"" + user + "\" ...");
            Map<String, Object> limits = limits(definition);
            requireUser(this, user);
            for (Map.Entry<String, Object> e : limits.entrySet()) {
                Failures.require(api().put(path("user-limits", user, e.getKey()), Map.of("value", e.getValue())),
                        root);
            }
            return 0;
        }
    }

    @Command(name = "clear_user_limits", description = "Clears one limit of a user, or all of them (all).")
    static final class ClearUserLimits extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<limit_name>|all")
        String name;

        @Override
        public Integer call() {
            boolean all = name.equals("all");
            output().banner(all ? "Clearing all limits for user \"" + user + "\" ..."
                    : "Clearing \"" + name + "\" limit for user \"" + user + "\" ...");
            requireUser(this, user);
            List<String> names = all ? new ArrayList<>(userLimits(this, user).keySet()) : List.of(name);
            for (String n : names) {
                Response r = api().delete(path("user-limits", user, n));
                if (r.status() != 404) {
                    Failures.require(r, root);
                }
            }
            return 0;
        }
    }

    @Command(name = "list_user_limits", description = "Shows the limits of a user (default: the CLI's own), or of all.")
    static final class ListUserLimits extends Verb.Listing {
        @Option(names = "--user", paramLabel = "<username>")
        String user;
        @Option(names = "--global", description = "All users' limits.")
        boolean global;

        @Override
        public Integer call() {
            if (global) {
                output().banner("Listing limits for all users ...");
                table(this, Failures.require(api().get(path("user-limits")), root), "user");
                return 0;
            }
            String u = user != null ? user : root.username();
            output().banner("Listing limits for user \"" + u + "\" ...");
            requireUser(this, u);
            output().message(Json.write(userLimits(this, u)));
            return 0;
        }
    }

    /** The JSON object a command was given; anything else fails as rabbitmqctl's JSON decoding. */
    private static Map<String, Object> limits(String definition) {
        try {
            if (Json.parse(definition) instanceof Map<?, ?> m) {
                Map<String, Object> limits = new LinkedHashMap<>();
                m.forEach((k, v) -> limits.put(String.valueOf(k), v));
                return limits;
            }
        } catch (IllegalArgumentException e) {
            // as not an object
        }
        throw CliException.error(CliException.UNAVAILABLE, "JSON decoding error. Reason: badarg");
    }

    private static Map<String, Object> vhostLimits(Verb verb, String vhost) {
        Response r = verb.api().get(path("vhost-limits", vhost));
        if (r.status() == 404) {
            throw Failures.vhostMissingOr(r, vhost, verb);
        }
        return value(Failures.require(r, verb.root));
    }

    private static Map<String, Object> userLimits(Verb verb, String user) {
        return value(Failures.require(verb.api().get(path("user-limits", user)), verb.root));
    }

    private static void requireUser(Verb verb, String user) {
        Response r = verb.api().get(path("users", user));
        if (r.status() == 404) {
            throw CliException.noSuchUserTerm(user);
        }
        Failures.require(r, verb.root);
    }

    /** The "value" of a one-element answer [{"vhost": v, "value": {...}}]; empty when there is none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> value(Response r) {
        List<Map<String, Object>> l = r.list();
        if (l.isEmpty() || !(l.get(0).get("value") instanceof Map<?, ?>)) {
            return Map.of();
        }
        return (Map<String, Object>) l.get(0).get("value");
    }

    private static void table(Verb.Listing verb, Response r, String key) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> item : r.list()) {
            rows.add(List.of(String.valueOf(item.get(key)), Json.write(item.get("value"))));
        }
        verb.output().table(List.of(key, "limits"), rows, verb.noHeaders);
    }
}
