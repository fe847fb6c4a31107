package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverTest {

    @Test
    void theGateIsAStaticMemberWithAShortSessionAndTransactionTimeoutAStandbyReplicaAndProbesEveryMinute() {
        Map<String, Object> props = Failover.streamsProperties("es-gate", Path.of("/data/gate"), Map.of());
        assertThat(props).containsEntry("main.consumer.session.timeout.ms", 10_000)
                .containsEntry("main.consumer.heartbeat.interval.ms", 1_000)
                .containsEntry("producer.transaction.timeout.ms", 20_000)
                .containsEntry("num.standby.replicas", 1)
                .containsEntry("probing.rebalance.interval.ms", 60_000)
                .containsEntry("request.timeout.ms", 5_000)
                .containsEntry("default.api.timeout.ms", 10_000)
                .containsEntry("admin.default.api.timeout.ms", 5_000)
                .containsEntry("enable.transactional.statestores", true);
        assertThat((String) props.get("main.consumer.group.instance.id")).startsWith("es-gate-");
    }

    @Test
    void theInstanceIdIsStableForAStateDirectoryAndDiffersBetweenThem() {
        assertThat(Failover.instanceId("es-gate", Path.of("/data/a"))).isEqualTo(Failover.instanceId("es-gate", Path.of("/data/a")))
                .isNotEqualTo(Failover.instanceId("es-gate", Path.of("/data/b")));
    }

    @Test
    void aSettingTheUserGaveWithOrWithoutPrefixIsLeftToThem() {
        Map<String, Object> props = Failover.streamsProperties("es-gate", Path.of("/data/gate"),
                Map.of("session.timeout.ms", 6_000, "consumer.group.instance.id", "gate-1", "transaction.timeout.ms", 30_000,
                        "num.standby.replicas", 0, "request.timeout.ms", 20_000, "default.api.timeout.ms", 30_000, "enable.transactional.statestores", false,
                        "probing.rebalance.interval.ms", 600_000));
        assertThat(props).containsOnlyKeys("main.consumer.heartbeat.interval.ms");
    }

    @Test
    void withTheStreamsRebalanceProtocolTheGroupSettingsAreLeftToTheBrokers() {
        Map<String, Object> props = Failover.streamsProperties("es-gate", Path.of("/data/gate"), Map.of("group.protocol", "streams"));
        assertThat(props).containsOnlyKeys("request.timeout.ms", "default.api.timeout.ms", "admin.default.api.timeout.ms",
                "producer.transaction.timeout.ms", "enable.transactional.statestores");
    }

    @Test
    void whereTheGatesCannotTellADeadInstancesTransactionsTheTransactionTimeoutIsStreamsOwn() {
        // Nobody fences what a dead gate left open: the coordinator's abort after the timeout ends it.
        assertThat(Failover.streamsProperties("es-gate", Path.of("/data/gate"), Map.of("group.protocol", "streams")))
                .containsEntry("producer.transaction.timeout.ms", 10_000);
        assertThat(Failover.streamsProperties("es-gate", Path.of("/data/gate"), Map.of("client.id", "my-gate")))
                .containsEntry("producer.transaction.timeout.ms", 10_000);
        assertThat(Failover.fencesAbandonedTransactions(Map.of())).isTrue();
        assertThat(Failover.fencesAbandonedTransactions(Map.of("client.id", "my-gate"))).isFalse();
        assertThat(Failover.fencesAbandonedTransactions(Map.of("group.protocol", "streams"))).isFalse();
    }
}
