package dev.eventstore.launcher;

import dev.eventstore.local.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the servers are: what {@code local} prints and writes, and what {@code append} and {@code read}
 * read back (by default from {@code ~/.eventstore/local.properties}).
 */
record StoreAddresses(String bootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword, String schemaRegistryUrl) {

    static final String INDEX_SCHEMA = "eventstore";

    static Path defaultFile() {
        return StoreSettings.defaultFile(System.getenv());
    }

    static StoreAddresses of(LocalStack stack) {
        return new StoreAddresses(stack.bootstrapServers(), stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(),
                stack.schemaRegistryUrl());
    }

    /** The {@code key=value} lines a user copies into kcat, psql or a client configuration. */
    List<String> lines() {
        return List.of("kafka.bootstrap.servers=" + bootstrapServers, "jdbc.url=" + jdbcUrl, "jdbc.user=" + jdbcUser,
                "schema.registry.url=" + schemaRegistryUrl);
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines());
    }
}
