package dev.eventstore.writer.api;

/**
 * What an append expects of its stream's version at the moment the gate decides it. Versions start at
 * 1; a stream that has never been written has version 0.
 */
public sealed interface ExpectedVersion {

    /** Append whatever the stream's version. */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /** The stream must not exist yet (version 0). */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /** The stream must have at least one event. */
    static ExpectedVersion streamExists() {
        return StreamExists.INSTANCE;
    }

    /** The stream's version must be exactly {@code version} (0 means the stream must not exist). */
    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /** The version on the wire; meaningful for {@link Exactly} only. */
    default long version() {
        return 0;
    }

    enum Any implements ExpectedVersion {
        INSTANCE;

        @Override
        public String toString() {
            return "any";
        }
    }

    enum NoStream implements ExpectedVersion {
        INSTANCE;

        @Override
        public String toString() {
            return "no stream";
        }
    }

    enum StreamExists implements ExpectedVersion {
        INSTANCE;

        @Override
        public String toString() {
            return "stream exists";
        }
    }

    record Exactly(long version) implements ExpectedVersion {
        public Exactly {
            if (version < 0) {
                throw new IllegalArgumentException("an expected version is 0 or more, not " + version);
            }
        }

        @Override
        public String toString() {
            return Long.toString(version);
        }
    }

    /**
     * Parses the command-line form: {@code any}, {@code no-stream}, {@code exists} or a version number.
     *
     * @throws IllegalArgumentException for anything else
     */
    static ExpectedVersion parse(String text) {
        return switch (text) {
            case "any" -> any();
            case "no-stream" -> noStream();
            case "exists" -> streamExists();
            default -> {
                try {
                    // ASCII digits only: Long.parseLong also reads other scripts' digits ("١" is 1).
                    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw new NumberFormatException(text);
                    }
                    yield exactly(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected version must be any, no-stream, exists or a number, not '" + text + "'");
                }
            }
        };
    }
}
