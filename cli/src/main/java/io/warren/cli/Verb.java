package io.warren.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** One rabbitmqctl verb: reaches the global options, the API and the output through the root command. */
abstract class Verb implements Callable<Integer> {

    @ParentCommand
    Warren root;

    ManagementApi api() {
        return root.api();
    }

    Output output() {
        return root.output();
    }

    /** A verb that prints a table, so it takes rabbitmqctl's {@code --no-table-headers}. */
    abstract static class Listing extends Verb {
        @Option(names = "--no-table-headers", description = "No header line.")
        boolean noHeaders;
    }
}
