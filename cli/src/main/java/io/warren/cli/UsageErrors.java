package io.warren.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Bad arguments as rabbitmqctl reports them: "Error (argument validation): ...", the arguments
 * given, the command's usage, exit code 64; an unknown command: "Command 'x' not found." and the
 * list of commands.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        if (e instanceof CommandLine.UnmatchedArgumentException u && line.getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            err.println("Command '" + u.getUnmatched().get(0) + "' not found.");
            err.println();
            line.usage(err);
            return CliException.USAGE;
        }
        err.println("Error (argument validation): " + reason(e));
        err.println("Arguments given:");
        err.println("\t" + String.join(" ", args));
        err.println();
        err.println("Usage");
        err.println();
        err.print(line.getHelp().synopsis(0));
        return CliException.USAGE;
    }

    private static String reason(ParameterException e) {
        if (e instanceof CommandLine.MissingParameterException) {
            return "not enough arguments.";
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return "too many arguments.";
        }
        return e.getMessage();
    }
}
