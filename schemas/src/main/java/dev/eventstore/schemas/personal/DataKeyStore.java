package dev.eventstore.schemas.personal;

import java.time.Instant;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Where the data keys of data subjects live: one 256-bit AES key per subject, created on first use and
 * destroyed by {@link #forget}. The store's default is {@link PostgresKeyStore} (a table in the store's
 * database); an application may plug in another (a KMS, say) behind this interface.
 *
 * <p>Every method throws {@link KeyStoreUnavailableException} (retryable) when the store cannot be reached.
 */
public interface DataKeyStore {

    /**
     * The subject's key, created when it has none yet; two callers racing for a new subject get the same key.
     *
     * @throws SubjectForgottenException when the subject was forgotten: nothing may be written for it again
     */
    SecretKey keyFor(String subject);

    /**
     * The subject's key, or empty when the subject was forgotten (its data reads as erased).
     *
     * @throws UnknownSubjectException when the store never had a key for the subject (a ciphertext then
     *     points at another key store: reading it as erased would hide that mistake)
     */
    Optional<SecretKey> existingKey(String subject);

    /**
     * Destroys the subject's key for ever and records when (not what). Forgetting again changes nothing and
     * answers the first time.
     *
     * @return when the subject was forgotten
     * @throws UnknownSubjectException when the store never had a key for the subject
     */
    Instant forget(String subject);
}
