package dev.eventstore.writer.gate;

import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.store.AppliedRequest;
import dev.eventstore.schemas.store.StreamAppend;
import java.nio.ByteBuffer;
import java.util.Optional;

/** Whether an append reuses a request id decided for another append, and how the two differ. */
final class RequestIdReuse {

    private RequestIdReuse() {}

    /**
     * @param earlier what the request id was decided for
     * @param fingerprint the {@link AppendFingerprint} of {@code append}
     * @return why {@code append} is not the append {@code earlier} remembers, or empty when it is (an entry
     *     from before fingerprints is compared by its stream alone)
     */
    static Optional<String> of(AppliedRequest earlier, StreamAppend append, byte[] fingerprint) {
        String appliedTo = earlier.getOriginalResult().getStreamId();
        if (!appliedTo.equals(append.getStreamId())) {
            return Optional.of("was used for an append to stream " + appliedTo + ", not " + append.getStreamId());
        }
        ByteBuffer remembered = earlier.getFingerprint();
        if (remembered != null && !remembered.duplicate().equals(ByteBuffer.wrap(fingerprint))) {
            return Optional.of("was used for another append to stream " + appliedTo
                    + " (other events, event ids, types, payloads or metadata, another expected version,"
                    + " or other correlation or causation ids)");
        }
        return Optional.empty();
    }
}
