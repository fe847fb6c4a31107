package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.writer.api.EventIds;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdTimeTest {

    @Test
    void aVersionSevenUuidCarriesTheMillisecondsItWasMadeAt() {
        assertThat(RequestIdTime.of("01890a5d-ac96-774b-bcce-b302099a8057")).hasValue(1_688_096_058_518L);
        assertThat(RequestIdTime.of("01890A5D-AC96-774B-BCCE-B302099A8057")).hasValue(1_688_096_058_518L);
    }

    @Test
    void theIdsTheClientGivesAppendsWithoutAKeyCarryTheTimeTheyWereMade() {
        // AppendOptions.requestIdOfCall: EventIds when the options name no key.
        long before = System.currentTimeMillis();
        String id = EventIds.next().toString();
        long after = System.currentTimeMillis();

        assertThat(RequestIdTime.of(id).orElseThrow()).isBetween(before, after);
    }

    @Test
    void otherIdsCarryNoTime() {
        assertThat(RequestIdTime.of(UUID.randomUUID().toString())).isEmpty();
        assertThat(RequestIdTime.of("order-42-payment")).isEmpty();
        assertThat(RequestIdTime.of("01890a5d-ac96-774b-bcce-b302099a805")).isEmpty();
        assertThat(RequestIdTime.of("01890a5dxac96-774b-bcce-b302099a8057")).isEmpty();
        assertThat(RequestIdTime.of("01890a5g-ac96-774b-bcce-b302099a8057")).isEmpty();
        assertThat(RequestIdTime.of("01890a5\uff10-ac96-774b-bcce-b302099a8057")).as("a fullwidth digit").isEmpty();
    }
}
