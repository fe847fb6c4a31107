package dev.eventstore.schemas.registry;

import java.util.List;

/**
 * The registry's verdict on a candidate schema.
 *
 * @param messages the registry's reasons when incompatible (as detailed as the registry gives them)
 */
public record CompatibilityCheck(boolean compatible, List<String> messages) {

    public CompatibilityCheck {
        messages = List.copyOf(messages);
    }
}
