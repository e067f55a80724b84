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
        return CliException.error(CliException.UNAVAILABLE, r.reason());
    }
}
