package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.StoreTopics;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicAuditTest {

    private static final StoreTopics TOPICS = StoreTopics.defaults();
    private static final Replication THREE = new Replication((short) 3, Optional.of(2));
    private static final Map<String, String> SAFE_EVENTS = Map.of("retention.ms", "-1", "retention.bytes", "-1",
            "cleanup.policy", "delete", "min.insync.replicas", "2");

    @Test
    void safeTopicsPassWithoutAWord() {
        TopicAudit audit = TopicAudit.of(TOPICS, topics(SAFE_EVENTS, 4, 3), 3, THREE);
        assertThat(audit.errors()).isEmpty();
        assertThat(audit.warnings()).isEmpty();
    }

    @Test
    void anEventsTopicThatDeletesOrCompactsOldEventsIsAnError() {
        Map<String, String> events = new HashMap<>(SAFE_EVENTS);
        events.put("retention.ms", "604800000");
        events.put("cleanup.policy", "compact");
        TopicAudit audit = TopicAudit.of(TOPICS, topics(events, 4, 3), 3, THREE);
        assertThat(audit.errors()).hasSize(2).anySatisfy(error -> assertThat(error).contains("es.events has retention.ms=604800000"))
                .anySatisfy(error -> assertThat(error).contains("cleanup.policy=compact"));
    }

    @Test
    void appendRequestsAndEventsWithDifferentPartitionCountsAreAnError() {
        Map<String, TopicAudit.Found> found = topics(SAFE_EVENTS, 4, 3);
        found.put(TOPICS.appendRequests(), new TopicAudit.Found(6, 3, Map.of("min.insync.replicas", "2")));
        assertThat(TopicAudit.of(TOPICS, found, 3, THREE).errors())
                .containsExactly("es.append-requests has 6 partitions but es.events has 4: they must be equal, a stream's versions"
                        + " are decided on its events' partition");
    }

    @Test
    void topicsOnOneReplicaOfAClusterAreWarnedAboutLoudly() {
        TopicAudit audit = TopicAudit.of(TOPICS, topics(Map.of("retention.ms", "-1", "retention.bytes", "-1", "cleanup.policy", "delete",
                "min.insync.replicas", "1"), 4, 1), 3, THREE);
        assertThat(audit.errors()).isEmpty();
        assertThat(audit.warnings()).hasSize(2).allSatisfy(warning -> assertThat(warning)
                .contains("has 1 replica(s) where 3 are wanted on this cluster of 3 brokers: ONE BROKER'S LOSS LOSES ACKNOWLEDGED DATA"));
    }

    @Test
    void aMinimumOfInSyncReplicasEqualToTheReplicasIsWarnedAbout() {
        Map<String, String> events = new HashMap<>(SAFE_EVENTS);
        events.put("min.insync.replicas", "3");
        assertThat(TopicAudit.of(TOPICS, topics(events, 4, 3), 3, THREE).warnings())
                .contains("es.events has min.insync.replicas=3 with 3 replicas: one broker down stops every append to it");
    }

    private static Map<String, TopicAudit.Found> topics(Map<String, String> eventsConfig, int partitions, int replicas) {
        Map<String, TopicAudit.Found> found = new HashMap<>();
        found.put(TOPICS.events(), new TopicAudit.Found(partitions, replicas, eventsConfig));
        found.put(TOPICS.appendRequests(), new TopicAudit.Found(partitions, replicas,
                Map.of("min.insync.replicas", eventsConfig.get("min.insync.replicas"))));
        return found;
    }
}
