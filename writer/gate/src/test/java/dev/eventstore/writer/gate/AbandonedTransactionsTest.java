package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;

class AbandonedTransactionsTest {

    private static final String APP = "es-gate";
    private static final String LIVE = "0b6f2a9e-3c1d-4e5f-8a7b-9c0d1e2f3a4b";
    private static final String DEAD = "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a";

    @Test
    void anOpenTransactionOfAProcessWithNoMemberInTheGroupIsAbandoned() {
        assertThat(AbandonedTransactions.abandoned(APP, List.of(ongoing(APP + "-" + DEAD + "-1"), ongoing(APP + "-" + DEAD + "-2")),
                List.of(consumer(LIVE, 1))))
                .contains(Set.of(APP + "-" + DEAD + "-1", APP + "-" + DEAD + "-2"));
    }

    @Test
    void theTransactionsOfAProcessWithAMemberAreLeftAloneWhicheverOfItsThreadsOpenedThem() {
        // A replaced thread's transaction: its process is alive, its thread index no longer a member's.
        assertThat(AbandonedTransactions.abandoned(APP, List.of(ongoing(APP + "-" + LIVE + "-1"), ongoing(APP + "-" + LIVE + "-3")),
                List.of(consumer(LIVE, 2))))
                .contains(Set.of());
    }

    @Test
    void transactionsOfAnotherApplicationOrOfNoStreamThreadAreLeftAlone() {
        assertThat(AbandonedTransactions.abandoned(APP, List.of(
                        ongoing(APP + "-b-" + DEAD + "-1"), // application "es-gate-b": another gate's group
                        ongoing("other-" + DEAD + "-1"),
                        ongoing(APP + "-" + DEAD), // no thread index
                        ongoing(APP + "-producer-1")),
                List.of(consumer(LIVE, 1))))
                .contains(Set.of());
    }

    @Test
    void nothingIsAbandonedWhenAMembersClientIdDoesNotNameItsProcess() {
        // client.id set by the user: its members cannot be told from dead processes.
        assertThat(AbandonedTransactions.abandoned(APP, List.of(ongoing(APP + "-" + DEAD + "-1")),
                List.of(consumer(LIVE, 1), "my-gate-StreamThread-1-consumer")))
                .isEmpty();
    }

    @Test
    void anEmptyGroupAbandonsEveryOpenTransactionOfTheApplication() {
        assertThat(AbandonedTransactions.abandoned(APP, List.of(ongoing(APP + "-" + DEAD + "-1")), List.of()))
                .contains(Set.of(APP + "-" + DEAD + "-1"));
    }

    private static TransactionListing ongoing(String transactionalId) {
        return new TransactionListing(transactionalId, 1000L, TransactionState.ONGOING);
    }

    private static String consumer(String processId, int thread) {
        return APP + "-" + processId + "-StreamThread-" + thread + "-consumer";
    }
}
