package dev.eventstore.schemas.personal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.SecretKey;

/**
 * Keeps each process's keys in memory for at most {@code ttl} after they were fetched, so a subject
 * forgotten by another process is erased here too within that bound; {@link #forget} through this store
 * evicts at once. A forgotten subject stays known as forgotten (forgetting is for ever).
 */
public final class CachingKeyStore implements DataKeyStore {

    /** The default bound: how long a key forgotten elsewhere may still decrypt in this process. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private final DataKeyStore delegate;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public CachingKeyStore(DataKeyStore delegate, Duration ttl) {
        this(delegate, ttl, System::nanoTime);
    }

    CachingKeyStore(DataKeyStore delegate, Duration ttl, LongSupplier nanoTime) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("the key cache's time to live must not be negative, not " + ttl);
        }
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public SecretKey keyFor(String subject) {
        Entry entry = fresh(subject);
        if (entry == null) {
            entry = remember(subject, Optional.of(delegate.keyFor(subject)));
        }
        return entry.key.orElseThrow(() -> new SubjectForgottenException(subject));
    }

    @Override
    public Optional<SecretKey> existingKey(String subject) {
        Entry entry = fresh(subject);
        if (entry == null) {
            entry = remember(subject, delegate.existingKey(subject));
        }
        return entry.key;
    }

    @Override
    public Instant forget(String subject) {
        entries.remove(subject);
        Instant at = delegate.forget(subject);
        remember(subject, Optional.empty());
        return at;
    }

    private Entry fresh(String subject) {
        Entry entry = entries.get(subject);
        return entry != null && nanoTime.getAsLong() - entry.expiresAt < 0 ? entry : null;
    }

    private Entry remember(String subject, Optional<SecretKey> key) {
        // Forgetting is final: a forgotten subject is never asked about again.
        long expiresAt = key.isEmpty() ? nanoTime.getAsLong() + Long.MAX_VALUE / 2 : nanoTime.getAsLong() + ttlNanos;
        // A key fetched while this process forgot the subject must not come back in after the forget.
        return entries.compute(subject, (s, old) -> old != null && old.key.isEmpty() ? old : new Entry(key, expiresAt));
    }

    private record Entry(Optional<SecretKey> key, long expiresAt) {}
}
