package dev.eventstore.reader.query;

/**
 * Whether an {@link EventReader} returns each payload's JSON rendering ({@code RecordedEvent.dataJson})
 * besides its Avro bytes. PostgreSQL renders the {@code jsonb} column as text for every row read, about a
 * quarter of a stream read's time here; a reader that decodes the Avro payload (an {@code EventDecoder})
 * does not need it.
 */
public enum DataJson {
    /** Each event read carries its payload as JSON (the default). */
    INCLUDED,
    /** Each event read carries its Avro payload only; {@code dataJson} is empty. */
    LEFT_OUT
}
