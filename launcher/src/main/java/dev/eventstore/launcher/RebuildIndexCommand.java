package dev.eventstore.launcher;

import dev.eventstore.indexer.IndexRebuild;
import dev.eventstore.indexer.IndexerConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Rebuilds the PostgreSQL index from the log and swaps it in when caught up. */
@Command(name = "rebuild-index", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE, Main.UNREACHABLE_LINE},
        description = "Rebuild the index from es.events into fresh tables; swap them in when caught up.")
final class RebuildIndexCommand implements Callable<Integer> {

    @Mixin
    SettingsOption settings;

    @Option(names = "--timeout", defaultValue = "PT1H", description = "give up after this long (ISO-8601, default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        StoreSettings store = settings.settings();
        IndexerConfig live = store.indexerConfig();
        ServerChecks checks = ServerChecks.once(store);
        checks.postgres();
        checks.registry();
        try (Admin admin = store.admin()) {
            checks.kafka(admin);
        }
        long[] lastPrinted = {-1};
        IndexRebuild.Result result = IndexRebuild.run(live, progress -> {
            if (progress.indexed() != lastPrinted[0]) {
                lastPrinted[0] = progress.indexed();
                System.out.printf("rebuilding: %,d events indexed (the log holds at most %,d)%n", progress.indexed(), progress.target());
            }
        }, timeout);
        System.out.printf("rebuilt: %,d events now in schema %s; the previous index is kept as schema %s (drop it when done)%n",
                result.indexed(), result.schema(), result.previousSchemaKeptAs());
        return 0;
    }
}
