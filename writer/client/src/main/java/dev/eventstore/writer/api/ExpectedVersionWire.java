package dev.eventstore.writer.api;

import dev.eventstore.schemas.store.ExpectedVersionKind;

/** The wire form of an {@link ExpectedVersion}: a store-record enum and a number, kept out of the public API. */
final class ExpectedVersionWire {

    private ExpectedVersionWire() {
    }

    static ExpectedVersionKind kindOf(ExpectedVersion expected) {
        if (expected instanceof ExpectedVersion.Exactly) {
            return ExpectedVersionKind.EXACT;
        } else if (expected == ExpectedVersion.noStream()) {
            return ExpectedVersionKind.NO_STREAM;
        } else if (expected == ExpectedVersion.streamExists()) {
            return ExpectedVersionKind.STREAM_EXISTS;
        }
        return ExpectedVersionKind.ANY;
    }

    /** The closed type for a kind and version read off the wire. */
    static ExpectedVersion of(ExpectedVersionKind kind, long version) {
        return switch (kind) {
            case ANY -> ExpectedVersion.any();
            case NO_STREAM -> ExpectedVersion.noStream();
            case STREAM_EXISTS -> ExpectedVersion.streamExists();
            case EXACT -> ExpectedVersion.exactly(version);
        };
    }
}
