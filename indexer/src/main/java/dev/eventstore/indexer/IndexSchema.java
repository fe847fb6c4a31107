package dev.eventstore.indexer;

import dev.eventstore.schemas.IndexDatabase;
import org.flywaydb.core.Flyway;

/**
 * The index's tables, created and upgraded by versioned migrations ({@code db/migration}); applying
 * them again is a no-op.
 */
public final class IndexSchema {

    private IndexSchema() {}

    public static void migrate(IndexDatabase database) {
        Flyway.configure()
                .dataSource(database.jdbcUrl(), database.user(), database.password())
                .schemas(database.schema())
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
