package dev.eventstore.launcher;

import dev.eventstore.writer.api.AppendTimeoutException;
import dev.eventstore.writer.api.InvalidAppendException;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import dev.eventstore.launcher.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./eventstore} command line. */
@Command(name = "eventstore", mixinStandardHelpOptions = true,
        description = "An event store on Apache Kafka: the embedded stack, appends and reads.",
        subcommands = {DemoCommand.class, LocalCommand.class, AppendCommand.class, ReadCommand.class,
                RebuildIndexCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    /** Exit status of an append refused for a wrong expected version. */
    static final int CONFLICT = 3;
    /** Exit status when an append's outcome is unknown (retrying with the same request id is safe). */
    static final int OUTCOME_UNKNOWN = 4;
    static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            Throwable cause = Failures.unwrap(error);
            line.getErr().println("error: " + cause.getMessage());
            if (cause instanceof WrongExpectedVersionException) {
                return CONFLICT;
            }
            if (cause instanceof AppendTimeoutException) {
                return OUTCOME_UNKNOWN;
            }
            if (cause instanceof UsageException || cause instanceof InvalidAppendException
                    || cause instanceof IllegalArgumentException) {
                return BAD_INPUT;
            }
            cause.printStackTrace(line.getErr());
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
