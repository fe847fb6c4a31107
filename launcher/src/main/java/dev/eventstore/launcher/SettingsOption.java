package dev.eventstore.launcher;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option of every command that talks to running servers. */
final class SettingsOption {

    @Option(names = {"--config", "--connection"}, paramLabel = "FILE",
            description = "settings file, e.g. the one written by 'local' (default: $EVENTSTORE_CONFIG, else "
                    + "~/.eventstore/local.properties if present); EVENTSTORE_* environment variables override it")
    Path file;

    private StoreSettings loaded;

    StoreSettings settings() {
        if (loaded == null) {
            loaded = StoreSettings.load(file);
        }
        return loaded;
    }

    /** The settings, if the command got as far as reading them: an error message names where an address came from. */
    Optional<StoreSettings> loaded() {
        return Optional.ofNullable(loaded);
    }

    StoreAddresses addresses() {
        return settings().addresses();
    }
}
