package dev.eventstore.launcher;

import dev.eventstore.local.LocalStack;
import dev.eventstore.local.LocalStackOptions;
import dev.eventstore.schemas.StoreTopics;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the embedded stack with the gate and the indexer until Ctrl-C or SIGTERM. */
@Command(name = "local", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE},
        description = "Run Kafka, PostgreSQL, the schema registry, the gate and the indexer locally until stopped.")
final class LocalCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "keep data here across restarts (default: a temporary directory, deleted at exit)")
    Path dataDir;

    @Option(names = "--connection", description = "where to write the addresses (default: ~/.eventstore/local.properties)")
    Path connection;

    @Option(names = "--brokers", defaultValue = "1", description = "Kafka nodes: 1 (default) or a replicated KRaft cluster of 3"
            + " (up to 5), each node its own process; topics then get 3 replicas and min.insync.replicas=2")
    int brokers;

    @Option(names = "--servers-only", description = "start Kafka, PostgreSQL and the registry only; run the gate and the"
            + " indexer yourself (./eventstore gate, ./eventstore indexer with --config of the written file)")
    boolean serversOnly;

    @Option(names = "--data-json", description = "the index keeps each payload as jsonb in events.data, for SQL queries of"
            + " payloads' contents (index.data.json=true); without it readers render the JSON from the payload")
    boolean dataJson;

    @Override
    public Integer call() throws Exception {
        if (brokers < 1 || brokers > LocalStackOptions.MAX_BROKERS) {
            throw new UsageException("--brokers must be 1 to " + LocalStackOptions.MAX_BROKERS + ", not " + brokers);
        }
        LocalStackOptions options = LocalStackOptions.defaults().withBrokers(brokers);
        options = dataDir == null ? options : options.withDataDir(dataDir);
        LocalStack stack = LocalStack.start(options);
        Optional<StoreServices> services;
        try {
            services = serversOnly ? Optional.empty() : Optional.of(StoreServices.start(stack.bootstrapServers(), stack.jdbcUrl(),
                    stack.jdbcUser(), stack.jdbcPassword(), stack.schemaRegistryUrl(), StoreTopics.defaults(),
                    stack.dataDir().resolve("gate-state"), StoreAddresses.INDEX_SCHEMA, dataJson));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        StoreAddresses addresses = StoreAddresses.of(stack);
        Path file = connection != null ? connection : StoreAddresses.defaultFile();
        addresses.write(file);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping");
            services.ifPresent(StoreServices::close);
            stack.close();
            stopped.countDown();
        }, "local-shutdown"));
        addresses.lines().forEach(System.out::println);
        System.out.println("data.dir=" + stack.dataDir());
        System.out.println("connection.file=" + file.toAbsolutePath());
        System.out.println("ready");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
