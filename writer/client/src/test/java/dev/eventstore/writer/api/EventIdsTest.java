package dev.eventstore.writer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.example.bank.MoneyDeposited;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void idsAreVersionSevenUuidsCarryingTheCurrentTime() {
        long before = System.currentTimeMillis();
        UUID id = EventIds.next();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsIncreaseInTheOrderTheyAreMadeEvenWithinOneMillisecond() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.next());
        }

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        for (int i = 1; i < ids.size(); i++) {
            // Unsigned order of the 128 bits, as PostgreSQL's uuid B-tree compares them (UUID.compareTo is signed).
            assertThat(unsignedCompare(ids.get(i - 1), ids.get(i))).as("id %d after id %d", i, i - 1).isNegative();
        }
    }

    @Test
    void newEventsGetTimeOrderedIds() {
        UUID first = NewEvent.of(new MoneyDeposited("Account-1", 1L)).eventId();
        UUID second = NewEvent.of(new MoneyDeposited("Account-1", 2L)).eventId();

        assertThat(first.version()).isEqualTo(7);
        assertThat(unsignedCompare(first, second)).isNegative();
    }

    private static int unsignedCompare(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
