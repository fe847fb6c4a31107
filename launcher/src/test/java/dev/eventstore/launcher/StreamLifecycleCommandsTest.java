package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.CustomerRegistered;
import dev.eventstore.example.bank.MoneyDeposited;
import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import dev.eventstore.schemas.personal.PostgresKeyStore;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.StreamDeletedException;
import io.micrometer.core.instrument.Metrics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** delete-stream, truncate-stream, set-stream-metadata, stream-info and read of a deleted stream, against a gate and indexer. */
class StreamLifecycleCommandsTest {

    @TempDir
    static Path dir;

    private static String prefix;
    private static Path settings;
    private static StoreServices services;
    private static AppendClient client;

    record Run(int status, String out, String err) {}

    @BeforeAll
    static void startStore() throws Exception {
        LocalStack stack = LocalStack.shared();
        prefix = "lc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        StoreTopics topics = new StoreTopics(prefix);
        settings = RoleProcess.writeSettings(stack, prefix, dir);
        services = StoreServices.start(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(),
                stack.schemaRegistryUrl(), topics, dir.resolve("gate-state"), prefix);
        client = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl()).withTopics(topics));
    }

    @AfterAll
    static void stopStore() {
        client.close();
        services.close();
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> withConfig = new java.util.ArrayList<>(List.of(args));
            withConfig.addAll(List.of("--config", settings.toString()));
            int status = Main.run(withConfig.toArray(String[]::new));
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private static String stream(int events) throws Exception {
        String stream = "Account-" + UUID.randomUUID();
        for (int i = 0; i < events; i++) {
            client.append(stream, ExpectedVersion.exactly(i), List.of(NewEvent.of(new MoneyDeposited(stream, 5L)))).get(30, TimeUnit.SECONDS);
        }
        return stream;
    }

    /** Waits until stream-info prints {@code expected}: the index applies a change a moment after the gate decides it. */
    private static String awaitInfo(String stream, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Run info = run("stream-info", stream);
        while (!info.out().contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            info = run("stream-info", stream);
        }
        assertThat(info.out()).contains(expected);
        return info.out();
    }

    @Test
    void deleteStreamChecksTheExpectedVersionRefusesASecondDeleteAndReadExitsWithItsOwnStatus() throws Exception {
        String stream = stream(2);

        Run conflict = run("delete-stream", "--stream", stream, "--expected", "1");
        Run deleted = run("delete-stream", "--stream", stream, "--expected", "2");
        Run again = run("delete-stream", "--stream", stream, "--expected", "any");
        String info = awaitInfo(stream, "deleted: soft");
        Run read = run("read", "--stream", stream);

        assertThat(conflict.status()).isEqualTo(Main.CONFLICT);
        assertThat(conflict.err()).contains("actual version: 2");
        assertThat(deleted.status()).isZero();
        assertThat(deleted.out()).contains("deleted " + stream + " at version 2");
        assertThat(again.status()).isEqualTo(Main.STREAM_DELETED);
        assertThat(again.err()).contains("is deleted");
        assertThat(info).contains("truncated.before: 3");
        assertThat(read.status()).isEqualTo(Main.STREAM_DELETED);
        assertThat(read.err()).contains("Stream " + stream + " is deleted");
        assertThat(run("read", "--help").out()).containsPattern("(?m)^  7 +the stream is deleted");
    }

    @Test
    void aHardDeleteLeavesAStreamNoAppendCanWrite() throws Exception {
        String stream = stream(1);

        Run tombstoned = run("delete-stream", "--stream", stream, "--expected", "1", "--hard");
        Run again = run("delete-stream", "--stream", stream, "--expected", "any");

        assertThat(tombstoned.status()).isZero();
        assertThat(again.status()).isEqualTo(Main.STREAM_DELETED);
        assertThat(again.err()).contains("tombstoned");
        assertThatThrownBy(() -> client.append(stream, ExpectedVersion.any(), List.of(NewEvent.of(new MoneyDeposited(stream, 1L)))).get())
                .hasCauseInstanceOf(StreamDeletedException.class);
        awaitInfo(stream, "deleted: hard (tombstoned)");
    }

    @Test
    void truncateStreamRefusesAVersionBeyondTheEndAndStreamInfoShowsTheTruncation() throws Exception {
        String stream = stream(3);

        Run beyond = run("truncate-stream", "--stream", stream, "--before", "9");
        Run truncated = run("truncate-stream", "--stream", stream, "--before", "3");

        assertThat(beyond.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(beyond.err()).contains("beyond the end", "actual version: 3");
        assertThat(truncated.status()).isZero();
        awaitInfo(stream, "truncated.before: 3");
    }

    @Test
    void setStreamMetadataSetsTheRetentionStreamInfoShows() throws Exception {
        String stream = stream(1);

        Run set = run("set-stream-metadata", "--stream", stream, "--max-count", "10", "--max-age", "30d");
        Run badAge = run("set-stream-metadata", "--stream", stream, "--max-age", "thirty days");

        assertThat(set.status()).isZero();
        assertThat(badAge.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(badAge.err()).contains("--max-age 'thirty days'");
        String info = awaitInfo(stream, "max.count: 10");
        assertThat(info).contains("max.age: PT720H", "deleted: no");
    }
    @Test
    void forgetErasesTheSubjectsPersonalFieldsInReadAndAnUnknownSubjectExitsWithItsOwnStatus() throws Exception {
        LocalStack stack = LocalStack.shared();
        String stream = "Customer-" + UUID.randomUUID();
        IndexDatabase index = new IndexDatabase(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), prefix);
        try (AppendClient personal = AppendClient.create(AppendClientConfig.of(stack.bootstrapServers(), stack.schemaRegistryUrl())
                .withTopics(new StoreTopics(prefix)), Metrics.globalRegistry, new PostgresKeyStore(index::connect, prefix))) {
            personal.append(stream, ExpectedVersion.noStream(), List.of(NewEvent.of(new CustomerRegistered(stream, "Zed Quorra",
                    "zed@example.org", ByteBuffer.wrap(new byte[] {7}), "NL")))).get(30, TimeUnit.SECONDS);
        }
        awaitInfo(stream, "version: 1");

        Run before = run("read", "--stream", stream);
        Run forgot = run("forget", "--subject", stream);
        Run after = run("read", "--stream", stream);
        Run unknown = run("forget", "--subject", "nobody-" + UUID.randomUUID());

        assertThat(before.status()).isZero();
        assertThat(before.out()).contains("\"name\":\"Zed Quorra\"", "\"erased\":[]");
        assertThat(forgot.status()).isZero();
        assertThat(forgot.out()).contains("forgot " + stream);
        assertThat(after.status()).isZero();
        assertThat(after.out()).contains("\"erased\":[\"name\",\"email\",\"photo\"]", "\"name\":\"\"", "\"email\":null")
                .doesNotContain("Zed");
        assertThat(unknown.status()).isEqualTo(Main.UNKNOWN_SUBJECT);
        assertThat(unknown.err()).contains("unknown data subject nobody-");
        assertThat(run("forget", "--help").out()).containsPattern("(?m)^  8 +unknown data subject");
    }
}
