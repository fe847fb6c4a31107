package dev.eventstore.indexer;

import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.StoreTopics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * An indexer as an OS process of its own, for the fault tests (kill, restart) of this module, which cannot
 * depend on the launcher: {@code IndexerMain <file.properties>} with the keys {@code kafka.bootstrap.servers},
 * {@code jdbc.url}, {@code jdbc.user}, {@code jdbc.password}, {@code schema.registry.url} and optionally
 * {@code topic.prefix} (es), {@code index.schema} (eventstore), {@code group.id} ({@link IndexerConfig#DEFAULT_GROUP_ID}).
 * Stops gracefully on SIGTERM. Users run {@code ./eventstore indexer}, the one entry point of the role.
 */
final class IndexerMain {

    private IndexerMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: IndexerMain <file.properties>");
            System.exit(2);
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            props.load(in);
        }
        IndexerConfig config = IndexerConfig.of(required(props, "kafka.bootstrap.servers"),
                        new IndexDatabase(required(props, "jdbc.url"), props.getProperty("jdbc.user", "postgres"),
                                props.getProperty("jdbc.password", ""), props.getProperty("index.schema", "eventstore")),
                        required(props, "schema.registry.url"))
                .withTopics(new StoreTopics(props.getProperty("topic.prefix", StoreTopics.DEFAULT_PREFIX)))
                .withGroupId(props.getProperty("group.id", IndexerConfig.DEFAULT_GROUP_ID))
                .withDataJson(Boolean.parseBoolean(props.getProperty("index.data.json", "false")));
        Indexer indexer = Indexer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            indexer.close();
            stopped.countDown();
        }, "indexer-shutdown"));
        System.out.println("indexer ready");
        System.out.flush();
        stopped.await();
    }

    private static String required(Properties props, String key) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            System.err.println("missing setting " + key);
            System.exit(2);
        }
        return value;
    }
}
