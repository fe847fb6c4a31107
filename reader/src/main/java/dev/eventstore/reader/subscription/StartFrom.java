package dev.eventstore.reader.subscription;

/** Where a subscription group with no committed offsets starts; a group that has some resumes there. */
public enum StartFrom {
    /** Catch up from the first event of the log. */
    BEGINNING,
    /** Only events appended after the subscription started. */
    END
}
