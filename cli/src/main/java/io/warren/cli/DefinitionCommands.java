package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * export_definitions and import_definitions (JSON only), through GET and POST /api/definitions.
 * Unlike rabbitmqctl 3.10's, an import is done when the command returns: the API answers once the
 * broker has applied the file.
 */
final class DefinitionCommands {

    private DefinitionCommands() {}

    @Command(name = "export_definitions", description = "Writes the broker's definitions (users, vhosts, "
            + "permissions, queues, exchanges, bindings, policies, ...) as JSON to <file>, or to standard output for -.")
    static final class ExportDefinitions extends Verb {
        @Parameters(index = "0", paramLabel = "<file|->")
        String file;

        @Override
        public Integer call() {
            if (file.equals("-")) {
                output().raw(definitions());
                return 0;
            }
            Path target = Path.of(file).toAbsolutePath();
            if (!Files.isDirectory(target.getParent())) {
                throw badArgument("Directory " + target.getParent() + " does not exist");
            }
            output().banner("Exporting definitions in JSON to a file at \"" + file + "\" ...");
            String json = definitions();
            try {
                Files.writeString(target, json, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.error(CliException.CANT_CREATE, "Could not write " + file + ": " + e);
            }
            return 0;
        }

        private String definitions() {
            return Failures.require(api().get(path("definitions")), root).body();
        }
    }

    @Command(name = "import_definitions", description = "Applies definitions exported as JSON (by this "
            + "command's twin, rabbitmqctl or the management UI) from <file>, or from standard input for -.")
    static final class ImportDefinitions extends Verb {
        @Parameters(index = "0", paramLabel = "<file|->")
        String file;

        @Override
        public Integer call() {
            String json;
            if (file.equals("-")) {
                output().banner("Importing definitions in JSON from standard input ...");
                json = stdin();
            } else {
                if (!Files.isRegularFile(Path.of(file))) {
                    throw badArgument("File " + file + " does not exist");
                }
                output().banner("Importing definitions in JSON from a file at \"" + file + "\" ...");
                json = read(Path.of(file));
            }
            requireObject(json);
            Response r = api().post(path("definitions"), json);
            if (r.status() == 400) {
                // the broker refused the content: a data error, as rabbitmqctl's
                throw CliException.error(CliException.DATA_ERROR, r.reason());
            }
            Failures.require(r, root);
            return 0;
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw badArgument("File " + p + " cannot be read: " + e.getMessage());
            }
        }

        private static String stdin() {
            try {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.error(CliException.DATA_ERROR, "Could not read standard input: " + e.getMessage());
            }
        }

        /** rabbitmqctl's words for a file that is not a JSON object; nothing is sent then. */
        private static void requireObject(String json) {
            String error;
            try {
                if (Json.parse(json) instanceof Map<?, ?>) {
                    return;
                }
                error = "not a JSON object";
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
            throw CliException.error(CliException.DATA_ERROR, "Failed to deserialise input (format: JSON) (error: "
                    + error + ")");
        }
    }

    /** rabbitmqctl validates a path before it acts, and exits 65. */
    private static CliException badArgument(String what) {
        return CliException.plain(CliException.DATA_ERROR, "Error (argument validation): Bad argument: " + what);
    }
}
