package io.warren.cli;

/**
 * A command that failed as rabbitmqctl's would: the text it writes to stderr and its exit code
 * (sysexits, as rabbitmqctl's).
 */
final class CliException extends RuntimeException {

    static final int USAGE = 64;
    static final int DATA_ERROR = 65;
    static final int NO_USER = 67;
    static final int UNAVAILABLE = 69;
    static final int SOFTWARE = 70;
    static final int CANT_CREATE = 73;
    static final int TEMP_FAILURE = 75;

    private final int exitCode;

    private CliException(int exitCode, String text) {
        super(text, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** rabbitmqctl's usual form: "Error:" on a line of its own, then the reason. */
    static CliException error(int exitCode, String reason) {
        return new CliException(exitCode, "Error:\n" + reason);
    }

    /** The text as it is, without rabbitmqctl's "Error:" line (as it writes "Virtual host ... does not exist"). */
    static CliException plain(int exitCode, String text) {
        return new CliException(exitCode, text);
    }

    static CliException unavailable(String text) {
        return new CliException(UNAVAILABLE, text);
    }

    static CliException noSuchUserTerm(String user) {
        // rabbitmqctl prints the Erlang term here, not a sentence
        return error(UNAVAILABLE, "{:no_such_user, \"" + user + "\"}");
    }

    static CliException userDoesNotExist(String user) {
        return error(NO_USER, "User \"" + user + "\" does not exist");
    }

    static CliException vhostDoesNotExist(String vhost) {
        return plain(DATA_ERROR, "Virtual host '" + vhost + "' does not exist");
    }
}
