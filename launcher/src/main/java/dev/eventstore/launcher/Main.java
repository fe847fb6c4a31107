package dev.eventstore.launcher;

import dev.eventstore.writer.api.AppendTimeoutException;
import dev.eventstore.writer.api.InvalidAppendException;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import dev.eventstore.launcher.bench.BenchCommand;
import dev.eventstore.launcher.failover.FailoverCommand;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./eventstore} command line. */
@Command(name = "eventstore", mixinStandardHelpOptions = true,
        description = "An event store on Apache Kafka: the embedded stack, its roles as processes, appends, reads and operator views.",
        subcommands = {DemoCommand.class, LocalCommand.class, AppendCommand.class, ReadCommand.class,
                RebuildIndexCommand.class, GateCommand.class, IndexerCommand.class, StreamsCommand.class,
                StreamInfoCommand.class, LagCommand.class, BenchCommand.class, FailoverCommand.class})
public final class Main implements Runnable {

    /** Exit status of an append refused for a wrong expected version. */
    static final int CONFLICT = 3;
    /** Exit status when an append's outcome is unknown (retrying with the same request id is safe). */
    static final int OUTCOME_UNKNOWN = 4;
    static final int BAD_INPUT = 2;
    /** Exit status when a server the command needs cannot be reached. */
    static final int UNREACHABLE = 5;

    /** Commands that run until stopped; they log the store's own progress (readiness, lag) at INFO. */
    private static final Set<String> LONG_RUNNING = Set.of("gate", "indexer", "local");

    public static void main(String[] args) {
        if (args.length > 0 && LONG_RUNNING.contains(args[0])) {
            // Before the first logger exists: slf4j-simple reads its levels once.
            System.setProperty("org.slf4j.simpleLogger.log.dev.eventstore", System.getProperty("org.slf4j.simpleLogger.log.dev.eventstore", "info"));
        }
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
            if (cause instanceof ServerUnreachableException) {
                return UNREACHABLE;
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
