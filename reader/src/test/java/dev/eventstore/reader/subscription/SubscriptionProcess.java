package dev.eventstore.reader.subscription;

import dev.eventstore.schemas.StoreTopics;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * A subscription member as an OS process of its own, for tests that kill it: writes
 * {@code <stream>@<version>} per handled event to a file (written before the handler returns, so before
 * the offset can be committed) and runs until killed.
 *
 * <p>Arguments: bootstrap servers, topic prefix, group id, category, output file.
 */
public final class SubscriptionProcess {

    public static void main(String[] args) throws Exception {
        SubscriptionConfig config = SubscriptionConfig.of(args[0], args[2]).withTopics(new StoreTopics(args[1]))
                .withFilter(EventFilter.categories(args[3]))
                // A killed member holds its partitions until its session expires (45 s by default).
                .withKafkaProperties(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000));
        OutputStream out = new FileOutputStream(args[4], true);
        Subscription subscription = Subscription.start(config, event -> {
            out.write((event.streamId() + "@" + event.version() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(1); // slow enough to be killed mid-way
        });
        Thread.currentThread().join();
        subscription.close();
    }
}
