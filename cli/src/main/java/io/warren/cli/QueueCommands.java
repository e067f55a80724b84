package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** purge_queue and delete_queue (--if-empty, --if-unused), with rabbitmqctl's texts and exit codes. */
final class QueueCommands {

    private QueueCommands() {}

    @Command(name = "purge_queue", description = "Drops the ready messages of a queue of the vhost given by -p.")
    static final class PurgeQueue extends Verb {
        @Parameters(index = "0", paramLabel = "<queue>")
        String queue;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            output().banner("Purging queue '" + queue + "' in vhost '" + vhost + "' ...");
            Response r = api().delete(path("queues", vhost, queue) + "/contents");
            if (r.status() == 404) {
                throw CliException.error(CliException.UNAVAILABLE, "not_found");
            }
            Failures.require(r, root);
            return 0;
        }
    }

    @Command(name = "delete_queue", description = "Deletes a queue of the vhost given by -p; with --if-empty "
            + "only if it has no messages, with --if-unused only if it has no consumers.")
    static final class DeleteQueue extends Verb {
        @Parameters(index = "0", paramLabel = "<queue>")
        String queue;

        @Option(names = {"-e", "--if-empty"}, description = "Only if the queue has no messages.")
        boolean ifEmpty;

        @Option(names = {"-u", "--if-unused"}, description = "Only if the queue has no consumers.")
        boolean ifUnused;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            String condition = ifEmpty && ifUnused ? " if queue is empty and if queue is unused"
                    : ifEmpty ? " if queue is empty" : ifUnused ? " if queue is unused" : "";
            output().banner("Deleting queue '" + queue + "' on vhost '" + vhost + "'" + condition + " ...");
            String p = path("queues", vhost, queue);
            // rabbitmqctl tells how many ready messages went with the queue; the API's DELETE does not,
            // so they are read just before (on RabbitMQ, its statistics of a few seconds ago)
            Response before = api().get(p);
            if (before.status() == 404) {
                throw queueNotFound();
            }
            Object ready = Failures.require(before, root).object().get("messages_ready");
            Response r = api().delete(p + query());
            if (r.status() == 404) {
                throw queueNotFound();
            }
            if (r.status() == 400) {
                // the API's reason is "queue 'q' in vhost '/' not empty" (or "in use")
                String reason = r.reason();
                throw CliException.error(CliException.USAGE, reason.endsWith("not empty") ? "Queue is not empty"
                        : reason.endsWith("in use") ? "Queue is in use" : reason);
            }
            Failures.require(r, root);
            output().message("Queue was successfully deleted with " + (ready == null ? 0 : ready) + " ready messages");
            return 0;
        }

        private String query() {
            if (ifEmpty && ifUnused) {
                return "?if-empty=true&if-unused=true";
            }
            return ifEmpty ? "?if-empty=true" : ifUnused ? "?if-unused=true" : "";
        }

        /** rabbitmqctl exits 64 here. */
        private static CliException queueNotFound() {
            return CliException.error(CliException.USAGE, "Queue not found");
        }
    }
}
