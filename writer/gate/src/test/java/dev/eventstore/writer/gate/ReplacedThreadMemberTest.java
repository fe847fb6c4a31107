package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;

/** Which member of the gate's group a replaced stream thread leaves behind, and which it must not take with it. */
class ReplacedThreadMemberTest {

    private static final String DEAD = "es-gate-7f3a-StreamThread-1";
    private static final String OTHER = "es-gate-7f3a-StreamThread-2";

    @Test
    void theDeadThreadsStaticMemberIsRemoved() {
        List<MemberDescription> members = List.of(member(OTHER, "gate-a-2"), member(DEAD, "gate-a-1"));

        assertThat(ReplacedThreadMember.memberToRemove(members, DEAD, Set.of(OTHER))).contains("gate-a-1");
    }

    @Test
    void aLiveThreadThatTookTheDeadOnesNameKeepsItsMember() {
        // Kafka Streams reuses the lowest free index: a later replacement may be named as the dead thread was, and its
        // consumer then joins with the same client id and group instance id.
        List<MemberDescription> members = List.of(member(OTHER, "gate-a-2"), member(DEAD, "gate-a-1"));

        assertThat(ReplacedThreadMember.memberToRemove(members, DEAD, Set.of(DEAD, OTHER))).isEmpty();
    }

    @Test
    void aMemberAlreadyGoneOrDynamicIsNotRemoved() {
        assertThat(ReplacedThreadMember.memberToRemove(List.of(member(OTHER, "gate-a-2")), DEAD, Set.of(OTHER))).isEmpty();
        MemberDescription dynamic = new MemberDescription("m-1", Optional.empty(), DEAD + "-consumer", "/10.0.0.1",
                new MemberAssignment(Set.of()));
        assertThat(ReplacedThreadMember.memberToRemove(List.of(dynamic), DEAD, Set.of(OTHER))).isEmpty();
    }

    @Test
    void anotherGatesThreadOfTheSameIndexIsNotTakenForTheDeadOne() {
        // Another gate's threads carry its own client id in their names: only an exact consumer client id matches.
        List<MemberDescription> members = List.of(member("es-gate-91c0-StreamThread-1", "gate-b-1"));

        assertThat(ReplacedThreadMember.memberToRemove(members, DEAD, Set.of(OTHER))).isEmpty();
    }

    private static MemberDescription member(String threadName, String instanceId) {
        return new MemberDescription("m-" + instanceId, Optional.of(instanceId), threadName + "-consumer", "/10.0.0.1",
                new MemberAssignment(Set.of()));
    }
}
