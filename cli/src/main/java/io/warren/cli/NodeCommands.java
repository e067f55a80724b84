package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * rabbitmq-diagnostics' ping and check_running, rabbitmqctl's await_startup and stop. The CLI
 * reaches the broker only through its management API, so "running" means that API answers: the
 * broker starts its API once it has recovered its vhosts, queues and messages, so an answer means
 * fully booted.
 */
final class NodeCommands {

    private NodeCommands() {}

    @Command(name = "ping", description = "Checks that the broker's management API answers and accepts the "
            + "CLI's credentials.")
    static final class Ping extends Verb {
        @Override
        public Integer call() {
            long ms = api().timeout().toMillis();
            output().banner("Will ping " + root.nodeLabel() + ". This only checks that its management API answers "
                    + "and accepts the CLI's credentials. Timeout: " + ms + " ms.");
            Response r;
            try {
                r = api().get(path("whoami"));
            } catch (CliException unreachable) {
                throw failed(ms, unreachable.getMessage());
            }
            if (!r.ok()) {
                throw failed(ms, "HTTP " + r.status() + ": " + r.reason());
            }
            output().message("Ping succeeded");
            return 0;
        }

        private CliException failed(long ms, String why) {
            return CliException.error(CliException.UNAVAILABLE, "Failed to connect and authenticate to "
                    + root.nodeLabel() + " in " + ms + " ms\n" + why);
        }
    }

    @Command(name = "check_running", description = "Health check: exits 0 if the broker is fully booted and "
            + "running (its management API answers), 69 if not.")
    static final class CheckRunning extends Verb {
        @Override
        public Integer call() {
            output().banner("Checking if RabbitMQ is running on node " + root.nodeLabel() + " ...");
            String node = runningNode(this);
            output().message("RabbitMQ on node " + node + " is fully booted and running");
            return 0;
        }
    }

    @Command(name = "await_startup", description = "Waits until the broker is fully booted (its management API "
            + "answers), for at most --timeout seconds (default 300); exits 75 if it does not in time.")
    static final class AwaitStartup extends Verb {
        @Override
        public Integer call() throws InterruptedException {
            Duration timeout = root.timeout(Duration.ofSeconds(300));
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "none";
            do {
                Response r;
                try {
                    r = api().get(path("overview"));
                } catch (CliException unreachable) {
                    r = null;
                    last = unreachable.getMessage();
                }
                if (r != null) {
                    if (r.ok()) {
                        return 0;
                    }
                    if (r.status() == 401) {
                        // wrong credentials will not become right by waiting
                        throw Failures.of(r, root);
                    }
                    last = "HTTP " + r.status() + ": " + r.reason();
                }
                // the broker is booting (or not there yet): ask again shortly; a start takes seconds
                Thread.sleep(250);
            } while (System.nanoTime() - deadline < 0);
            throw CliException.error(CliException.TEMP_FAILURE, "the broker at " + root.nodeLabel()
                    + " did not finish booting within " + timeout.toSeconds() + " seconds; last answer:\n" + last);
        }
    }

    @Command(name = "stop", description = "Not available: neither Warren's nor RabbitMQ's management API can stop "
            + "a broker. Exits 69 without doing anything.")
    static final class Stop extends Verb {
        @Override
        public Integer call() {
            output().banner("Stopping and halting node " + root.nodeLabel() + " ...");
            throw CliException.error(CliException.UNAVAILABLE, "the CLI reaches the broker only through its "
                    + "management HTTP API, which has no operation that stops a broker (Warren's or RabbitMQ's).\n"
                    + "Stop the broker's process instead: its service manager (systemctl stop ...), or SIGTERM to "
                    + "its java process, which closes client connections and shuts down cleanly.");
        }
    }

    /** The node's name if its API answers /api/overview; else a CliException (69). */
    private static String runningNode(Verb verb) {
        Response r = verb.api().get(path("overview"));
        Map<String, Object> o = Failures.require(r, verb.root).object();
        return String.valueOf(o.getOrDefault("node", verb.root.nodeLabel()));
    }
}
