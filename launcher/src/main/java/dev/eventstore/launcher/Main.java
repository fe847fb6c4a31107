package dev.eventstore.launcher;

import dev.eventstore.bench.BenchCommand;
import dev.eventstore.launcher.failover.FailoverCommand;
import dev.eventstore.writer.api.AppendOutcomeUnknownException;
import dev.eventstore.writer.api.InvalidAppendException;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code ./eventstore} command line. Whatever a user can get wrong (an option, a stale settings file, a
 * stopped server) ends in one line on stderr and a documented exit status, never in a stack trace.
 */
@Command(name = "eventstore", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "An event store on Apache Kafka: the embedded stack, its roles as processes, appends, reads and operator views.",
        exitCodeListHeading = Main.EXIT_HEADING,
        exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE},
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, LocalCommand.class, AppendCommand.class, ReadCommand.class,
                RebuildIndexCommand.class, GateCommand.class, IndexerCommand.class, StreamsCommand.class,
                StreamInfoCommand.class, LagCommand.class, DeleteStreamCommand.class, TruncateStreamCommand.class,
                SetStreamMetadataCommand.class, ForgetCommand.class, FailoverCommand.class})
public final class Main implements Runnable {

    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    /** Exit status of an append refused for a wrong expected version. */
    static final int CONFLICT = 3;
    /** Exit status when an append's outcome is unknown: it may have been appended (a new command is a new event). */
    static final int OUTCOME_UNKNOWN = 4;
    /** Exit status when a server the command needs cannot be reached. */
    static final int UNREACHABLE = 5;
    /** Exit status when the stream is deleted: reading it, or changing a deleted or tombstoned stream. */
    static final int STREAM_DELETED = 7;
    /** forget: the key store never held a key for the subject. */
    static final int UNKNOWN_SUBJECT = 8;

    static final String EXIT_HEADING = "%nExit status:%n";
    // The lines of each command's "Exit status:" list (--help); a command lists those it can end with.
    static final String OK_LINE = "0:done";
    static final String FAILED_LINE = "1:an unexpected failure (set EVENTSTORE_DEBUG=1 for its stack trace)";
    static final String BAD_INPUT_LINE = "2:bad input: an unknown option, a missing or malformed value, a missing setting";
    static final String CONFLICT_LINE = "3:wrong expected version: the stream is at another version; nothing was appended";
    static final String OUTCOME_UNKNOWN_LINE = "4:outcome unknown (timeout): the append may or may not have happened";
    static final String UNREACHABLE_LINE = "5:a server did not answer (Kafka, PostgreSQL or the schema registry); the message names"
            + " it, its address and the settings file it came from";
    static final String FAILED_ROLE_LINE = "1:the role failed or stopped by itself (the log says why)";
    static final String UNREACHABLE_ROLE_LINE = "5:a server did not answer within startup.timeout.seconds";
    static final String STREAM_DELETED_LINE = "7:the stream is deleted (soft or hard)";
    static final String SIGTERM_LINE = "143:stopped by SIGTERM (or Ctrl-C: 130), after a graceful shutdown";

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
        return commandLine().execute(args);
    }

    /** The command line, configured as {@code ./eventstore} runs it. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        AsciiNumbers.register(commandLine);
        // The bench lives in a module of its own that does not know the launcher: it gets the store's processes from here.
        commandLine.addSubcommand(new BenchCommand(StoreServices::onStack));
        // "--stream @README.md" names a stream; picocli would otherwise read the file's words as arguments.
        commandLine.setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler(Main::badInput);
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> failed(error, line));
        return commandLine;
    }

    private static int badInput(ParameterException error, String[] args) {
        CommandLine line = error.getCommandLine();
        PrintWriter err = line.getErr();
        // picocli's own messages start with "Error: " at times.
        err.println("error: " + Failures.oneLine(error).replaceFirst("^Error: ", ""));
        err.println("(see ./eventstore " + line.getCommandSpec().qualifiedName(" ").replaceFirst("^eventstore ?", "")
                .concat(" --help").strip() + ")");
        return BAD_INPUT;
    }

    private static int failed(Exception error, CommandLine line) {
        Throwable cause = Failures.unwrap(error);
        PrintWriter err = line.getErr();
        int status = statusOf(cause);
        Optional<Failures.Server> server = status == FAILED ? Failures.serverThatDidNotAnswer(cause) : Optional.empty();
        if (server.isPresent()) {
            err.println("error: " + server.get().name() + " did not answer: " + Failures.oneLine(cause) + addressOf(server.get(), line));
            status = UNREACHABLE;
        } else {
            err.println("error: " + Failures.oneLine(cause));
        }
        if (System.getenv("EVENTSTORE_DEBUG") != null) {
            cause.printStackTrace(err);
        }
        return status;
    }

    private static int statusOf(Throwable cause) {
        if (cause instanceof WrongExpectedVersionException) {
            return CONFLICT;
        }
        if (cause instanceof AppendOutcomeUnknownException) {
            return OUTCOME_UNKNOWN;
        }
        if (cause instanceof dev.eventstore.writer.api.StreamDeletedException
                || cause instanceof dev.eventstore.reader.query.StreamDeletedException) {
            return STREAM_DELETED;
        }
        if (cause instanceof dev.eventstore.schemas.personal.UnknownSubjectException) {
            return UNKNOWN_SUBJECT;
        }
        if (cause instanceof dev.eventstore.writer.api.VersionOutOfRangeException) {
            return BAD_INPUT;
        }
        if (cause instanceof ServerUnreachableException) {
            return UNREACHABLE;
        }
        if (cause instanceof UsageException || cause instanceof InvalidAppendException || cause instanceof IllegalArgumentException) {
            return BAD_INPUT;
        }
        return FAILED;
    }

    /** " (at ADDRESS, jdbc.url from FILE)", when the command had read its settings. */
    private static String addressOf(Failures.Server server, CommandLine line) {
        return line.getCommandSpec().mixins().values().stream()
                .map(mixin -> mixin.userObject())
                .filter(SettingsOption.class::isInstance)
                .map(SettingsOption.class::cast)
                .flatMap(option -> option.loaded().stream())
                .map(settings -> " (at " + settings.get(server.addressKey(), "?") + ", " + server.addressKey() + " from "
                        + settings.sourceOf(server.addressKey()) + ")")
                .findFirst().orElse("");
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version the build stamped into {@code version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties props = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"eventstore " + props.getProperty("version", "(unknown version)")};
        }
    }
}
