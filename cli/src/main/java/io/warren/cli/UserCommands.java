package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** add_user, delete_user, change_password, clear_password, set_user_tags, list_users, authenticate_user. */
final class UserCommands {

    private UserCommands() {}

    @Command(name = "add_user", description = "Creates a user, with no permissions in any vhost yet. "
            + "Without <password>, reads it from standard input.")
    static final class AddUser extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<password>", arity = "0..1")
        String password;

        @Override
        public Integer call() {
            output().banner("Adding user \"" + user + "\" ...");
            String pw = password != null ? password : readPassword();
            // PUT /api/users/{u} would silently replace an existing user's password: look first
            Response existing = api().get(path("users", user));
            if (existing.ok()) {
                throw CliException.error(CliException.SOFTWARE, "User \"" + user + "\" already exists");
            }
            if (existing.status() != 404) {
                throw Failures.of(existing, root);
            }
            Failures.require(api().put(path("users", user), Map.of("password", pw, "tags", "")), root);
            output().info("Done. Don't forget to grant the user permissions to some virtual hosts! "
                    + "See 'warren help set_permissions' to learn more.");
            return 0;
        }
    }

    @Command(name = "delete_user", description = "Deletes a user (and closes its connections).")
    static final class DeleteUser extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;

        @Override
        public Integer call() {
            output().banner("Deleting user \"" + user + "\" ...");
            Response r = api().delete(path("users", user));
            if (r.status() == 404) {
                throw CliException.userDoesNotExist(user);
            }
            Failures.require(r, root);
            return 0;
        }
    }

    @Command(name = "change_password", description = "Changes a user's password.")
    static final class ChangePassword extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<password>")
        String password;

        @Override
        public Integer call() {
            output().banner("Changing password for user \"" + user + "\" ...");
            Map<String, Object> u = existing(this, user, CliException.userDoesNotExist(user));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("password", password);
            body.put("tags", String.join(",", Values.tags(u.get("tags"))));
            Failures.require(api().put(path("users", user), body), root);
            return 0;
        }
    }

    @Command(name = "clear_password", description = "Removes a user's password: it can no longer log in with one.")
    static final class ClearPassword extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;

        @Override
        public Integer call() {
            output().banner("Clearing password for user \"" + user + "\" ...");
            Map<String, Object> u = existing(this, user, CliException.noSuchUserTerm(user));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("password_hash", "");
            body.put("tags", String.join(",", Values.tags(u.get("tags"))));
            Failures.require(api().put(path("users", user), body), root);
            return 0;
        }
    }

    @Command(name = "set_user_tags", description = "Sets a user's tags (none clears them).")
    static final class SetUserTags extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1..*", paramLabel = "<tag>", arity = "0..*")
        List<String> tags = new ArrayList<>();

        @Override
        public Integer call() {
            output().banner("Setting tags for user \"" + user + "\" to [" + String.join(", ", tags) + "] ...");
            Map<String, Object> u = existing(this, user, CliException.userDoesNotExist(user));
            // the API replaces the whole user: send its password hash back unchanged
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("password_hash", u.getOrDefault("password_hash", ""));
            if (u.get("hashing_algorithm") != null) {
                body.put("hashing_algorithm", u.get("hashing_algorithm"));
            }
            body.put("tags", String.join(",", tags));
            Failures.require(api().put(path("users", user), body), root);
            return 0;
        }
    }

    private static final List<String> USER_COLUMNS = List.of("user", "tags");

    /** A user's tags: "[a, b]" in a table, a list in JSON. */
    private static final Columns USERS = new Columns(USER_COLUMNS, USER_COLUMNS) {
        @Override
        Object value(String column, Map<String, Object> user) {
            return column.equals("user") ? user.get("name") : Values.tags(user.get("tags"));
        }
    };

    @Command(name = "list_users", description = "Lists users and their tags.")
    static final class ListUsers extends Verb.Listing {
        @Override
        public Integer call() {
            output().banner("Listing users ...");
            Response r = Failures.require(api().get(path("users")), root);
            output().table(USER_COLUMNS, USERS, r.list(), noHeaders);
            return 0;
        }
    }

    @Command(name = "authenticate_user", description = "Checks a user's password; exits 65 if it is wrong.")
    static final class AuthenticateUser extends Verb {
        @Parameters(index = "0", paramLabel = "<username>")
        String user;
        @Parameters(index = "1", paramLabel = "<password>")
        String password;

        @Override
        public Integer call() {
            output().banner("Authenticating user \"" + user + "\" ...");
            Response r = api().getAs(path("whoami"), user, password);
            // a user without a management tag logs in but may not use the API: still a good password
            if (r.ok() || (r.status() == 401 && "Not management user".equals(r.reason()))) {
                output().result("Success");
                return 0;
            }
            if (r.status() == 401) {
                throw CliException.error(CliException.DATA_ERROR, "Error: failed to authenticate user \"" + user
                        + "\"\nuser '" + user + "' - invalid credentials");
            }
            throw Failures.of(r, root);
        }
    }

    private static Map<String, Object> existing(Verb verb, String user, CliException ifMissing) {
        Response r = verb.api().get(path("users", user));
        if (r.status() == 404) {
            throw ifMissing;
        }
        return Failures.require(r, verb.root).object();
    }

    private static String readPassword() {
        Console console = System.console();
        if (console != null) {
            char[] pw = console.readPassword("Password: ");
            if (pw != null) {
                return new String(pw);
            }
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())).readLine();
            if (line == null) {
                throw CliException.error(CliException.USAGE, "no password given (none on standard input either)");
            }
            return line;
        } catch (IOException e) {
            throw CliException.error(CliException.USAGE, "could not read the password: " + e.getMessage());
        }
    }
}
