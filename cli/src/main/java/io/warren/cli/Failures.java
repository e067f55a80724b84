package io.warren.cli;

import io.warren.cli.ManagementApi.Response;

/** An answer of the API that is not a success, as the CLI reports it (exit 69 unless a verb knows better). */
final class Failures {

    private Failures() {}

    static Response require(Response r, Warren root) {
        if (!r.ok()) {
            throw of(r, root);
        }
        return r;
    }

    static CliException of(Response r, Warren root) {
        if (r.status() == 401) {
            return CliException.unavailable("Error: the management API at " + root.baseUrl() + " refused user \""
                    + root.username() + "\": " + r.reason()
                    + "\n(give --username/--password of a user with the administrator tag)");
        }
        if (r.status() == 405) {
            return CliException.error(CliException.UNAVAILABLE, "the management API at " + root.baseUrl() + " does not "
                    + "support " + r.method() + " " + r.path() + " (HTTP 405): this broker cannot do that yet");
        }
        if (r.status() == 404) {
            // a path or method this broker's API lacks (an older Warren): say which
            return CliException.error(CliException.UNAVAILABLE, r.reason() + " (" + r.method() + " " + r.path()
                    + " answered " + r.status() + ")");
        }
        return CliException.error(CliException.UNAVAILABLE, r.reason());
    }

    /**
     * A 404 on a path under a vhost: "Virtual host ... does not exist" if it does not, else the
     * API lacks the path.
     */
    static CliException vhostMissingOr(Response r, String vhost, Verb verb) {
        Response v = verb.api().get(ManagementApi.path("vhosts", vhost));
        return v.status() == 404 ? CliException.vhostDoesNotExist(vhost) : of(r, verb.root);
    }
}
