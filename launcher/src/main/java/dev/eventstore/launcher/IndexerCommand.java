package dev.eventstore.launcher;

import dev.eventstore.indexer.Indexer;
import dev.eventstore.indexer.IndexerConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The indexer as a process of its own, against given servers. */
@Command(name = "indexer", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Run an indexer instance (the exactly-once projection into PostgreSQL) until SIGTERM.",
                "Settings: jdbc.url, jdbc.user, jdbc.password, schema.registry.url, schema.registry.basic.auth.user.info,"
                        + " index.schema (eventstore), indexer.group.id (eventstore-indexer; <prefix>-indexer for another"
                        + " topic.prefix), metrics.port (9402); and those of every role, below."})
final class IndexerCommand implements Callable<Integer> {

    static final int DEFAULT_METRICS_PORT = 9402;

    @Mixin
    RoleOptions role;

    @Override
    public Integer call() throws Exception {
        StoreSettings settings = role.settings();
        IndexerConfig config = settings.indexerConfig();
        ServerChecks checks = ServerChecks.atStartup(settings);
        return role.run("indexer", DEFAULT_METRICS_PORT, meters -> {
            try (Admin admin = settings.admin()) {
                checks.kafka(admin);
            }
            checks.postgres();
            checks.registry();
            return new RunningIndexer(Indexer.start(config, meters), config);
        });
    }

    private record RunningIndexer(Indexer indexer, IndexerConfig config) implements RoleRunner.Running {

        @Override
        public String description() {
            return "group " + config.groupId() + ", " + config.topics().events() + " into schema " + config.database().schema();
        }

        @Override
        public boolean isHealthy() {
            return indexer.isRunning();
        }

        @Override
        public CompletableFuture<?> stopped() {
            return indexer.stopped();
        }

        @Override
        public void close() {
            indexer.close();
        }
    }
}
