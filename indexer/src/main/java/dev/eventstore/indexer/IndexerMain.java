package dev.eventstore.indexer;

import dev.eventstore.schemas.StoreTopics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The indexer as a process of its own: {@code IndexerMain <file.properties>} with the keys
 * {@code kafka.bootstrap.servers}, {@code jdbc.url}, {@code jdbc.user}, {@code jdbc.password},
 * {@code schema.registry.url} and optionally {@code topic.prefix} (es), {@code index.schema}
 * (eventstore), {@code group.id} (eventstore-indexer). Stops gracefully on SIGTERM.
 */
public final class IndexerMain {

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
                        new IndexerConfig.Database(required(props, "jdbc.url"), props.getProperty("jdbc.user", "postgres"),
                                props.getProperty("jdbc.password", ""), props.getProperty("index.schema", "eventstore")),
                        required(props, "schema.registry.url"))
                .withTopics(new StoreTopics(props.getProperty("topic.prefix", StoreTopics.DEFAULT_PREFIX)))
                .withGroupId(props.getProperty("group.id", "eventstore-indexer"));
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
