package dev.eventstore.reader.query;

import java.util.Objects;

/**
 * Which events of {@code $all} a global read returns, in global-position order: every event, the
 * events of one category (the stream id's prefix before the first {@code -}), or those of one type.
 */
public sealed interface Selection {

    static Selection all() {
        return new All();
    }

    static Selection category(String category) {
        return new Category(category);
    }

    static Selection eventType(String eventType) {
        return new EventType(eventType);
    }

    record All() implements Selection {}

    record Category(String category) implements Selection {
        public Category {
            Objects.requireNonNull(category, "category");
        }
    }

    record EventType(String eventType) implements Selection {
        public EventType {
            Objects.requireNonNull(eventType, "eventType");
        }
    }
}
