package dev.eventstore.schemas;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings every group reading the events topic shares: committed events only, offsets committed by
 * hand after the work is done, never automatically.
 */
public final class EventsConsumers {

    private EventsConsumers() {}

    /**
     * @param offsetReset where a group without committed offsets starts: {@code earliest} or {@code latest}
     * @param userProperties the user's own settings, applied last
     */
    public static Map<String, Object> properties(String bootstrapServers, String groupId, String offsetReset,
                                                 Map<String, Object> userProperties) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        // On brokers that create topics on demand (Kafka's default), a group started before the writer would create
        // the events topic in the broker's default shape, not the one the writer's gate provisions.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.putAll(userProperties);
        return props;
    }
}
