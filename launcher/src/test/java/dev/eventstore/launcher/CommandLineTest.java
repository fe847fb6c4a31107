package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The command line as a newcomer meets it: a stale settings file or a stopped server, bad input, help and
 * version. Whatever a user can get wrong ends in one line on stderr and a documented exit status.
 */
class CommandLineTest {

    private static final Path ACCOUNT_OPENED = Path.of("../schemas/src/main/avro/example/AccountOpened.avsc");

    @TempDir
    Path dir;

    static Stream<List<String>> commandsThatNeedServers() {
        return Stream.of(
                List.of("append", "--stream", "Account-1", "--type", "AccountOpened", "--data", "{\"accountId\": \"1\", \"owner\": \"Ann\"}"),
                List.of("read", "--all"),
                List.of("read", "--stream", "Account-1"),
                List.of("streams"),
                List.of("stream-info", "Account-1"),
                List.of("lag"),
                List.of("rebuild-index"));
    }

    @ParameterizedTest
    @MethodSource("commandsThatNeedServers")
    void aStaleSettingsFileEndsInOneLineNamingTheServerItsAddressAndTheFile(List<String> command) throws IOException {
        int port = closedPort();
        Path settings = Files.write(dir.resolve("stale.properties"), List.of(
                "kafka.bootstrap.servers=127.0.0.1:" + port,
                "jdbc.url=jdbc:postgresql://127.0.0.1:" + port + "/eventstore",
                "schema.registry.url=http://127.0.0.1:" + port + "/apis/ccompat/v7"));

        Run run = run(with(command, "--config", settings.toString()));

        assertThat(run.status).as("exit status; stderr: %s", run.err).isEqualTo(Main.UNREACHABLE);
        assertThat(run.errLines()).as("stderr").hasSize(1);
        assertThat(run.err).containsPattern("^error: cannot reach (PostgreSQL|the schema registry) at \\S+127\\.0\\.0\\.1:" + port)
                .contains("from the settings file " + settings);
    }

    @Test
    void aStoppedKafkaUnderLagAndAppendIsNamedWithItsAddressAndTheFileItCameFrom() throws IOException {
        LocalStack stack = LocalStack.shared();
        int port = closedPort();
        Path settings = RoleProcess.writeSettings(stack, "nokafka", dir, "kafka.bootstrap.servers=127.0.0.1:" + port);

        for (List<String> command : List.of(List.of("lag"), List.of("append", "--stream", "Account-1", "--type", "AccountOpened",
                "--schema", ACCOUNT_OPENED.toString(), "--data", "{\"accountId\": \"1\", \"owner\": \"Ann\"}"))) {
            Run run = run(with(command, "--config", settings.toString()));

            assertThat(run.status).as("%s: exit status; stderr: %s", command.get(0), run.err).isEqualTo(Main.UNREACHABLE);
            assertThat(run.errLines()).as("%s: stderr", command.get(0)).hasSize(1);
            assertThat(run.err).startsWith("error: cannot reach Kafka at 127.0.0.1:" + port)
                    .contains("kafka.bootstrap.servers from the settings file " + settings);
        }
    }

    @Test
    void anEventLargerThanTheShellsArgumentLimitIsAppendedFromAFileAndFromStdin() throws IOException {
        LocalStack stack = LocalStack.shared();
        String prefix = "cli" + UUID.randomUUID().toString().substring(0, 8);
        Path settings = RoleProcess.writeSettings(stack, prefix, dir);
        String owner = "A".repeat(200_000); // above the ~128 KB a single argument may hold
        String json = "{\"accountId\": \"1\", \"owner\": \"" + owner + "\"}";
        Path data = Files.writeString(dir.resolve("event.json"), json);
        String stream = "Account-" + UUID.randomUUID();

        try (StoreServices services = StoreServices.start(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(),
                stack.jdbcPassword(), stack.schemaRegistryUrl(), new StoreTopics(prefix), dir.resolve("gate"), prefix)) {
            Run fromFile = run("append", "--stream", stream, "--type", "AccountOpened", "--expected", "no-stream",
                    "--schema", ACCOUNT_OPENED.toString(), "--data-file", data.toString(), "--config", settings.toString());
            Run fromStdin = runWithInput(json, "append", "--stream", stream, "--type", "AccountOpened", "--expected", "1",
                    "--data", "-", "--config", settings.toString());

            assertThat(fromFile.status).as("stderr: %s", fromFile.err).isZero();
            assertThat(fromFile.out.strip()).isEqualTo("1");
            assertThat(fromStdin.status).as("stderr: %s", fromStdin.err).isZero();
            assertThat(fromStdin.out.strip()).isEqualTo("2");
        }
    }

    @Test
    void anArgumentStartingWithAnAtSignIsTakenLiterallyNotAsAFileOfArguments() throws IOException {
        Path file = Files.writeString(dir.resolve("README.md"), "--all --limit 5");

        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("stream-info", "@" + file);

        StreamInfoCommand command = (StreamInfoCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(command.streamId).isEqualTo("@" + file);
    }

    @Test
    void everyCommandsHelpListsTheExitStatusesItCanEndWith() {
        CommandLine commandLine = Main.commandLine();
        commandLine.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                assertThat(sub.getUsageMessage()).as("%s --help", name).contains("Exit status:").containsPattern("(?m)^  [01]   ");
            }
        });
        assertThat(commandLine.getSubcommands().get("append").getUsageMessage())
                .containsPattern("(?m)^  3   wrong expected version").containsPattern("(?m)^  4   outcome unknown")
                .containsPattern("(?m)^  5   a server did not answer");
        assertThat(commandLine.getSubcommands().get("stream-info").getUsageMessage())
                .containsPattern("(?m)^  6   the index has no such stream");
    }

    @Test
    void theHelpSubcommandShowsACommandsUsageAndVersionPrintsTheVersion() {
        Run help = run("help", "append");
        Run version = run("--version");

        assertThat(help.status).isZero();
        assertThat(help.out).contains("Usage: eventstore append", "--data-file=FILE", "Exit status:");
        assertThat(version.status).isZero();
        assertThat(version.out.strip()).matches("eventstore \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void badInputEndsInOneErrorLineAPointerToHelpAndStatusTwo() throws IOException {
        Path settings = Files.write(dir.resolve("any.properties"), List.of("kafka.bootstrap.servers=127.0.0.1:" + closedPort()));
        List<List<String>> bad = List.of(
                List.of("append", "--stream", "A-1", "--type", "T", "--expected", "sideways", "--data", "{}"),
                List.of("append", "--stream", "A-1", "--type", "T", "--data", "{not json"),
                List.of("append", "--stream", "A-1", "--type", "T", "--data-file", dir.resolve("missing.json").toString()),
                List.of("append", "--stream", "A-1", "--type", "T", "--data", "{}", "--data-file", "x.json"),
                List.of("read", "--all", "--limit", "0"),
                List.of("read", "--all", "--no-such-option"),
                List.of("read", "--all"), // jdbc.url is missing from the file
                List.of("no-such-command"));
        for (List<String> command : bad) {
            Run run = run(with(command, "--config", settings.toString()));

            assertThat(run.status).as("%s: exit status; stderr: %s", command, run.err).isEqualTo(Main.BAD_INPUT);
            assertThat(run.errLines()).as("%s: stderr", command).hasSizeBetween(1, 2).allMatch(line -> !line.startsWith("\tat "));
            assertThat(run.errLines().get(0)).as("%s: stderr", command).startsWith("error: ").doesNotContain("Exception");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String[] with(List<String> command, String... more) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Run runWithInput(String input, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(original);
        }
    }

    /** Runs {@code ./eventstore args} in this JVM, as the script does, capturing what it prints. */
    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
