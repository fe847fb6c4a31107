package dev.eventstore.schemas.personal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** A key store in memory, counting the lookups that reach it (for the cache's tests). */
final class MemoryKeyStore implements DataKeyStore {

    private final Map<String, Optional<SecretKey>> keys = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();

    @Override
    public SecretKey keyFor(String subject) {
        lookups.incrementAndGet();
        return keys.computeIfAbsent(subject, s -> Optional.of(fresh())).orElseThrow(() -> new SubjectForgottenException(subject));
    }

    @Override
    public Optional<SecretKey> existingKey(String subject) {
        lookups.incrementAndGet();
        Optional<SecretKey> key = keys.get(subject);
        if (key == null) {
            throw new UnknownSubjectException(subject);
        }
        return key;
    }

    @Override
    public Instant forget(String subject) {
        if (keys.replace(subject, Optional.empty()) == null) {
            throw new UnknownSubjectException(subject);
        }
        return Instant.now();
    }

    static SecretKey fresh() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }
}
