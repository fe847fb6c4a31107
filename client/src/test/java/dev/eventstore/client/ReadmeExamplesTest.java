package dev.eventstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.AccountOpened;
import dev.eventstore.example.bank.AccountState;
import dev.eventstore.reader.RecordedEvent;
import dev.eventstore.reader.query.ReadDirection;
import dev.eventstore.reader.query.StreamDeletedException;
import dev.eventstore.reader.query.StreamInfo;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLES = Path.of("src", "test", "java", "dev", "eventstore", "client", "ReadmeExamples.java");

    private static ClientStack stack;

    @BeforeAll
    static void startStore() throws Exception {
        stack = ClientStack.start();
    }

    @AfterAll
    static void stopStore() {
        stack.close();
    }

    @Test
    void everyJavaBlockOfTheReadmeIsAnExampleThatCompiles() throws IOException {
        List<String> readmeBlocks = blocks(Files.readString(README), Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL));
        List<String> examples = blocks(Files.readString(EXAMPLES),
                Pattern.compile("(?m)^[ ]*// README:begin\\n(.*?)^[ ]*// README:end", Pattern.DOTALL));

        assertThat(examples).as("the examples in " + EXAMPLES).hasSizeGreaterThanOrEqualTo(4);
        assertThat(readmeBlocks).as("README.md's java blocks, each the text of an example in " + EXAMPLES)
                .containsExactlyElementsOf(examples);
    }

    @Test
    void theReadmeExamplesRunAgainstTheStore() throws Exception {
        Path settingsFile = Files.createTempFile("eventstore", ".properties");
        Properties properties = new Properties();
        for (String key : List.of("kafka.bootstrap.servers", "schema.registry.url", "jdbc.url", "jdbc.user", "jdbc.password",
                "index.schema", "topic.prefix")) {
            properties.setProperty(key, stack.settings.get(key).orElse(""));
        }
        try (Writer out = Files.newBufferedWriter(settingsFile)) {
            properties.store(out, "the test's store");
        }

        ReadmeExamples.appendExample(settingsFile);
        try (EventStoreClient store = EventStoreClient.connect(stack.settings)) {
            AppendResult deposited = ReadmeExamples.retryExample(store.appends());
            assertThat(deposited.lastVersion()).isEqualTo(3);
            List<RecordedEvent> page = ReadmeExamples.readExample(store, deposited);
            assertThat(page).extracting(RecordedEvent::eventType).containsExactly("AccountOpened", "MoneyDeposited", "MoneyDeposited");

            AccountState state = ReadmeExamples.snapshotExample(store);
            assertThat(state.getBalanceCents()).isEqualTo(1000L);
            assertThat(store.snapshots().loadLatest("Account-42", AccountState.class).orElseThrow().version()).isEqualTo(3);

            List<RecordedEvent> billed = new CopyOnWriteArrayList<>();
            ReadmeExamples.subscribeExample(store, billed::add);
            assertThat(billed).extracting(RecordedEvent::streamId, RecordedEvent::version).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Account-42", 2L), org.assertj.core.groups.Tuple.tuple("Account-42", 3L));

            for (int version = 0; version < 2; version++) {
                store.appends().append("Account-43", ExpectedVersion.exactly(version),
                        List.of(NewEvent.of(new AccountOpened("43", "Bob", "EUR")))).get();
            }
            ReadmeExamples.lifecycleExample(store);
            assertThatThrownBy(() -> store.appends().append("Account-44", ExpectedVersion.any(),
                    List.of(NewEvent.of(new AccountOpened("44", "Eve", "EUR")))).get())
                    .hasCauseInstanceOf(dev.eventstore.writer.api.StreamDeletedException.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!store.reads().streamInfo("Account-43").map(StreamInfo::deleted).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThatThrownBy(() -> store.reads().readStream("Account-43", 1, ReadDirection.FORWARD, 10))
                    .isInstanceOf(StreamDeletedException.class);

            var customer = ReadmeExamples.forgetExample(store);
            assertThat(customer.erasedFields()).containsExactly("name", "email", "photo");
            assertThat(customer.value().getName()).isEmpty();
        }
    }

    /** The first group of each match, less the indentation its lines share. */
    private static List<String> blocks(String text, Pattern pattern) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            blocks.add(dedent(matcher.group(1)));
        }
        return blocks;
    }

    private static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder dedented = new StringBuilder();
        lines.forEach(line -> dedented.append(line.isBlank() ? "" : line.substring(indent)).append('\n'));
        return dedented.toString();
    }
}
