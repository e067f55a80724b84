package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Permissions and topic permissions: set_, clear_, list_ and list_user_ of each. */
final class PermissionCommands {

    private PermissionCommands() {}

    @Command(name = "set_permissions", description = "Sets a user's configure, write and read permissions "
            + "(regular expressions) in the vhost given by -p.")
    static final class SetPermissions extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<conf>")
        String configure;
        @Parameters(index = "2", paramLabel = "<write>")
        String write;
        @Parameters(index = "3", paramLabel = "<read>")
        String read;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            output().banner("Setting permissions for user \"" + user + "\" in vhost \"" + vhost + "\" ...");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("configure", configure);
            body.put("write", write);
            body.put("read", read);
            Response r = api().put(path("permissions", vhost, user), body);
            if (!r.ok()) {
                failIfMissing(this, user, vhost);
                throw Failures.of(r, root);
            }
            return 0;
        }
    }

    @Command(name = "clear_permissions", description = "Removes a user's permissions in the vhost given by -p.")
    static final class ClearPermissions extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            output().banner("Clearing permissions for user \"" + user + "\" in vhost \"" + vhost + "\" ...");
            Response r = api().delete(path("permissions", vhost, user));
            if (r.status() == 404) {
                // no permission to clear is fine, as long as both exist
                failIfMissing(this, user, vhost);
                return 0;
            }
            Failures.require(r, root);
            return 0;
        }
    }

    @Command(name = "list_permissions", description = "Lists the permissions in the vhost given by -p.")
    static final class ListPermissions extends Verb.Listing {
        @Override
        public Integer call() {
            return listInVhost(this, "permissions", List.of("user", "configure", "write", "read"));
        }
    }

    @Command(name = "list_user_permissions", description = "Lists a user's permissions in every vhost.")
    static final class ListUserPermissions extends Verb.Listing {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;

        @Override
        public Integer call() {
            return listForUser(this, user, "permissions", List.of("vhost", "configure", "write", "read"), true);
        }
    }

    @Command(name = "set_topic_permissions", description = "Sets a user's write and read permissions "
            + "(regular expressions on routing keys) on a topic exchange in the vhost given by -p.")
    static final class SetTopicPermissions extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<exchange>")
        String exchange;
        @Parameters(index = "2", paramLabel = "<write>")
        String write;
        @Parameters(index = "3", paramLabel = "<read>")
        String read;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            output().banner("Setting topic permissions on \"" + exchange + "\" for user \"" + user
                    + "\" in vhost \"" + vhost + "\" ...");
            Response r = api().put(path("topic-permissions", vhost, user), topicPermission(exchange, write, read));
            if (!r.ok()) {
                failIfMissing(this, user, vhost);
                throw Failures.of(r, root);
            }
            return 0;
        }
    }

    @Command(name = "clear_topic_permissions", description = "Removes a user's topic permissions in the vhost "
            + "given by -p: on one exchange, or on all.")
    static final class ClearTopicPermissions extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<exchange>", arity = "0..1")
        String exchange;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            output().banner(exchange == null
                    ? "Clearing topic permissions for user \"" + user + "\" in vhost \"" + vhost + "\" ..."
                    : "Clearing topic permissions on \"" + exchange + "\" for user \"" + user + "\" in vhost \""
                            + vhost + "\" ...");
            String path = path("topic-permissions", vhost, user);
            List<Map<String, Object>> kept = List.of();
            if (exchange != null) {
                // the API clears a user's topic permissions in a vhost all at once: put back the others
                Response current = api().get(path);
                if (current.status() == 404) {
                    failIfMissing(this, user, vhost);
                    return 0;
                }
                kept = Failures.require(current, root).list().stream()
                        .filter(p -> !exchange.equals(p.get("exchange"))).toList();
            }
            Response r = api().delete(path);
            if (r.status() == 404) {
                failIfMissing(this, user, vhost);
                return 0;
            }
            Failures.require(r, root);
            for (Map<String, Object> p : kept) {
                Failures.require(api().put(path, topicPermission(String.valueOf(p.get("exchange")),
                        String.valueOf(p.get("write")), String.valueOf(p.get("read")))), root);
            }
            return 0;
        }
    }

    @Command(name = "list_topic_permissions", description = "Lists the topic permissions in the vhost given by -p.")
    static final class ListTopicPermissions extends Verb.Listing {
        @Override
        public Integer call() {
            return listInVhost(this, "topic-permissions", List.of("user", "exchange", "write", "read"));
        }
    }

    @Command(name = "list_user_topic_permissions", description = "Lists a user's topic permissions in every vhost.")
    static final class ListUserTopicPermissions extends Verb.Listing {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;

        @Override
        public Integer call() {
            // rabbitmqctl 3.10 prints this one without a header
            return listForUser(this, user, "topic-permissions", List.of("vhost", "exchange", "write", "read"), false);
        }
    }

    /** list_permissions and list_topic_permissions: {@code kind} ("permissions", "topic-permissions") in the -p vhost. */
    private static int listInVhost(Verb.Listing verb, String kind, List<String> columns) {
        String vhost = verb.root.vhost();
        verb.output().banner("Listing " + kind.replace('-', ' ') + " for vhost \"" + vhost + "\" ...");
        Response r = verb.api().get(path("vhosts", vhost, kind));
        if (r.status() == 404) {
            throw Failures.vhostMissingOr(r, vhost, verb);
        }
        table(verb, r, columns, true);
        return 0;
    }

    /** list_user_permissions and list_user_topic_permissions. */
    private static int listForUser(Verb.Listing verb, String user, String kind, List<String> columns, boolean header) {
        verb.output().banner("Listing " + kind.replace('-', ' ') + " for user \"" + user + "\" ...");
        Response r = verb.api().get(path("users", user, kind));
        if (r.status() == 404) {
            throw CliException.noSuchUserTerm(user);
        }
        table(verb, r, columns, header);
        return 0;
    }

    private static void table(Verb.Listing verb, Response r, List<String> columns, boolean header) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> p : Failures.require(r, verb.root).list()) {
            rows.add(columns.stream().map(c -> Values.cell(p.get(c))).toList());
        }
        verb.output().table(header ? columns : null, rows, verb.noHeaders);
    }

    private static Map<String, Object> topicPermission(String exchange, String write, String read) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("exchange", exchange);
        body.put("write", write);
        body.put("read", read);
        return body;
    }

    /**
     * The API answers a missing user or vhost with 400 "vhost_or_user_not_found" or 404, without
     * saying which: ask, and fail as rabbitmqctl does (the user first, as it checks).
     */
    private static void failIfMissing(Verb verb, String user, String vhost) {
        Response u = verb.api().get(path("users", user));
        if (u.status() == 404) {
            throw CliException.error(CliException.NO_USER, "User " + user + " does not exist");
        }
        Failures.require(u, verb.root);
        Response v = verb.api().get(path("vhosts", vhost));
        if (v.status() == 404) {
            throw CliException.error(CliException.UNAVAILABLE, "Virtual host " + vhost + " does not exist");
        }
        Failures.require(v, verb.root);
    }
}
