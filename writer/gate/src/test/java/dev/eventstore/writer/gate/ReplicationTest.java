package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReplicationTest {

    private static final TopicSettings UNSET = TopicSettings.of(4);

    @Test
    void onThreeBrokersOrMoreTopicsGetThreeReplicasAndTwoInSync() {
        assertThat(Replication.decide(UNSET, 3, OptionalInt.empty())).isEqualTo(new Replication((short) 3, Optional.of(2)));
        assertThat(Replication.decide(UNSET, 5, OptionalInt.empty())).isEqualTo(new Replication((short) 3, Optional.of(2)));
    }

    @Test
    void aSingleBrokerGetsOneReplicaAndTheBrokersMinimum() {
        assertThat(Replication.decide(UNSET, 1, OptionalInt.empty())).isEqualTo(new Replication((short) 1, Optional.empty()));
    }

    @Test
    void theBrokersDefaultReplicationFactorIsTakenWhenTheyDeclareOne() {
        assertThat(Replication.decide(UNSET, 5, OptionalInt.of(4))).isEqualTo(new Replication((short) 4, Optional.of(2)));
    }

    @Test
    void configuredReplicationAndMinimumWin() {
        TopicSettings settings = UNSET.withReplicationFactor((short) 3).withMinInsyncReplicas(3);
        assertThat(Replication.decide(settings, 3, OptionalInt.of(2))).isEqualTo(new Replication((short) 3, Optional.of(3)));
    }

    @Test
    void oneReplicaOnAClusterOfThreeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Replication.decide(UNSET.withReplicationFactor((short) 1), 3, OptionalInt.empty()))
                .isInstanceOf(GateException.class).hasMessageContaining("replication factor of 1 (topic.replication.factor)")
                .hasMessageContaining("cluster of 3 brokers");
        assertThatThrownBy(() -> Replication.decide(UNSET, 3, OptionalInt.of(1)))
                .isInstanceOf(GateException.class).hasMessageContaining("default.replication.factor");
    }

    @Test
    void moreReplicasThanBrokersAreRefused() {
        assertThatThrownBy(() -> Replication.decide(UNSET.withReplicationFactor((short) 3), 1, OptionalInt.empty()))
                .isInstanceOf(GateException.class).hasMessageContaining("needs 3 brokers, but the cluster has 1");
    }

    @Test
    void theGatesChangelogsGetTheSameReplication() {
        assertThat(new Replication((short) 3, Optional.of(2)).streamsProperties())
                .isEqualTo(Map.of("replication.factor", 3, "topic.min.insync.replicas", 2));
    }
}
