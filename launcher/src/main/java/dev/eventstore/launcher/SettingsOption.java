package dev.eventstore.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option of every command that talks to running servers. */
final class SettingsOption {

    @Option(names = {"--config", "--connection"}, paramLabel = "FILE",
            description = "settings file, e.g. the one written by 'local' (default: $EVENTSTORE_CONFIG, else "
                    + "~/.eventstore/local.properties if present); EVENTSTORE_* environment variables override it")
    Path file;

    StoreSettings settings() {
        return StoreSettings.load(file);
    }

    StoreAddresses addresses() {
        return settings().addresses();
    }
}
