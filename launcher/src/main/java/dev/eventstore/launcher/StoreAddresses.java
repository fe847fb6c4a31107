package dev.eventstore.launcher;

import dev.eventstore.local.LocalStack;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Where the servers are: what {@code local} prints and writes, and what {@code append} and {@code read}
 * read back (by default from {@code ~/.eventstore/local.properties}).
 */
record StoreAddresses(String bootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword, String schemaRegistryUrl) {

    static final String INDEX_SCHEMA = "eventstore";

    static Path defaultFile() {
        String configured = System.getenv("EVENTSTORE_CONNECTION");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".eventstore", "local.properties");
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

    static StoreAddresses read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UsageException("no running store found at " + file + " (" + e.getMessage()
                    + "); start one with ./eventstore local, or pass --connection FILE");
        }
        return new StoreAddresses(required(props, "kafka.bootstrap.servers", file), required(props, "jdbc.url", file),
                props.getProperty("jdbc.user", "postgres"), props.getProperty("jdbc.password", ""),
                required(props, "schema.registry.url", file));
    }

    private static String required(Properties props, String key, Path file) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new UsageException(file + " lacks " + key);
        }
        return value;
    }
}
