package dev.eventstore.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * @param dataDir where the broker, PostgreSQL and the registry keep their data; reused by the next start
 *     (same ports too, when free). Empty: a fresh temporary directory, deleted on close.
 */
public record LocalStackOptions(Optional<Path> dataDir) {

    public static LocalStackOptions defaults() {
        return new LocalStackOptions(Optional.empty());
    }

    public LocalStackOptions withDataDir(Path dir) {
        return new LocalStackOptions(Optional.of(dir));
    }
}
