package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.local.LocalStack;
import dev.eventstore.schemas.StoreTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The gate's topic provisioning and audit against the real (single) broker of the shared stack. */
class TopicProvisionerTest {

    @Test
    void onOneBrokerTheTopicsGetOneReplicaAndTheGatesChangelogsTheSame() {
        StoreTopics topics = new StoreTopics("prov" + UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = admin()) {
            Replication replication = new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, TopicSettings.of(2));
            assertThat(replication).isEqualTo(new Replication((short) 1, Optional.empty()));
            assertThat(replication.streamsProperties()).isEqualTo(Map.of("replication.factor", 1));
        }
    }

    @Test
    void anExistingEventsTopicThatCompactsOrExpiresEventsStopsTheGateWithEveryReason() throws Exception {
        StoreTopics topics = new StoreTopics("prov" + UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topics.events(), 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "retention.ms", "604800000")))).all().get();

            assertThatThrownBy(() -> new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics, TopicSettings.of(2)))
                    .isInstanceOf(GateException.class)
                    .hasMessageContaining(topics.events() + " has retention.ms=604800000")
                    .hasMessageContaining("cleanup.policy=compact");
        }
    }

    @Test
    void moreReplicasThanBrokersAreRefusedBeforeAnyTopicIsCreated() throws Exception {
        StoreTopics topics = new StoreTopics("prov" + UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .ensure(topics, TopicSettings.of(2).withReplicationFactor((short) 3)))
                    .isInstanceOf(GateException.class).hasMessageContaining("needs 3 brokers, but the cluster has 1");
            assertThat(admin.listTopics().names().get()).doesNotContain(topics.events(), topics.appendRequests());
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.shared().bootstrapServers()));
    }
}
