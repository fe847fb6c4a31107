package dev.eventstore.schemas;

import dev.eventstore.schemas.store.EventData;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.StreamChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 digest of one append: the gate remembers it with the append's request id so that the id
 * answers only that append, and the client with the request id of an append whose outcome it does not know.
 * It covers what decides the append's result and everything it writes: the expected version (kind and
 * number), the correlation and causation ids (written into every event's envelope) and, per event in
 * order, its id, type, payload bytes and metadata (sorted by name), or the lifecycle change it carries. Not the stream id: that is compared on
 * its own, to say which of the two differs. Each field is written with its length first, so no two
 * different appends digest the same bytes.
 */
public final class AppendFingerprint {

    private final MessageDigest sha256;

    /** Not thread-safe (a digest keeps state): one per thread, or per processor of the gate. */
    public AppendFingerprint() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public byte[] of(StreamAppend append) {
        sha256.reset();
        text(append.getExpectedKind().name());
        number(append.getExpectedVersion());
        text(append.getCorrelationId());
        text(append.getCausationId());
        number(append.getEvents().size());
        for (EventData event : append.getEvents()) {
            text(event.getEventId());
            text(event.getEventType());
            bytes(event.getPayload());
            Map<String, String> metadata = new TreeMap<>(event.getMetadata());
            number(metadata.size());
            metadata.forEach((name, value) -> {
                text(name);
                text(value);
            });
        }
        StreamChange change = append.getChange();
        if (change != null) {
            // A lifecycle change has no events: what it does is its whole content.
            text(change.getKind().name());
            number(change.getTruncateBefore());
            number(change.getMaxCount() == null ? -1 : change.getMaxCount());
            number(change.getMaxAgeMillis() == null ? -1 : change.getMaxAgeMillis());
        }
        return sha256.digest();
    }

    private void text(String text) {
        if (text == null) {
            number(-1);
        } else {
            bytes(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void bytes(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        number(copy.remaining());
        sha256.update(copy);
    }

    private void number(long number) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            sha256.update((byte) (number >>> shift));
        }
    }
}
