package dev.eventstore.schemas.personal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingKeyStoreTest {

    private final MemoryKeyStore shared = new MemoryKeyStore();
    private final AtomicLong now = new AtomicLong();
    private final CachingKeyStore cache = new CachingKeyStore(shared, Duration.ofSeconds(30), now::get);

    @Test
    void aKeyIsFetchedOnceWithinItsTimeToLive() {
        cache.keyFor("s");
        now.addAndGet(Duration.ofSeconds(29).toNanos());

        assertThat(cache.existingKey("s")).isPresent();
        assertThat(shared.lookups).hasValue(1);
    }

    @Test
    void aSubjectForgottenElsewhereIsErasedHereOnceTheTimeToLiveHasPassed() {
        cache.keyFor("s");
        shared.forget("s"); // another process

        assertThat(cache.existingKey("s")).isPresent(); // within the bound, the cached key still decrypts
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(cache.existingKey("s")).isEmpty();
        assertThatThrownBy(() -> cache.keyFor("s")).isInstanceOf(SubjectForgottenException.class);
    }

    @Test
    void forgettingThroughTheCacheEvictsAtOnceAndForEver() {
        cache.keyFor("s");

        cache.forget("s");

        assertThat(cache.existingKey("s")).isEmpty();
        now.addAndGet(Duration.ofDays(3650).toNanos());
        assertThat(cache.existingKey("s")).isEmpty();
        assertThatThrownBy(() -> cache.keyFor("s")).isInstanceOf(SubjectForgottenException.class);
    }

    @Test
    void aZeroTimeToLiveAsksTheStoreEachTime() {
        CachingKeyStore uncached = new CachingKeyStore(shared, Duration.ZERO, now::get);
        uncached.keyFor("s");
        uncached.keyFor("s");

        assertThat(shared.lookups).hasValue(2);
    }

    @Test
    void forgettingAnUnknownSubjectIsATypedError() {
        assertThatThrownBy(() -> cache.forget("never")).isInstanceOf(UnknownSubjectException.class)
                .hasMessageContaining("never");
    }
}
