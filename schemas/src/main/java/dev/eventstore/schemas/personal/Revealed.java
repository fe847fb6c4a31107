package dev.eventstore.schemas.personal;

import java.util.List;

/**
 * A decoded payload with its personal fields decrypted, or erased where the subject was forgotten.
 *
 * @param value the record; an erased field holds null when nullable, else its default, else an empty value
 * @param erasedFields the paths of the erased fields ({@code email}, {@code address.street}), in schema
 *     order, once each; empty when nothing was erased
 */
public record Revealed<T>(T value, List<String> erasedFields) {

    public Revealed {
        erasedFields = List.copyOf(erasedFields);
    }

    /** Whether any personal field was erased (its subject forgotten). */
    public boolean erased() {
        return !erasedFields.isEmpty();
    }
}
