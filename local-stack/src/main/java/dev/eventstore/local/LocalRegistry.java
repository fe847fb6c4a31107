package dev.eventstore.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real schema registry, Apicurio Registry 2.4 (built by the {@code local-registry} module), in a
 * child JVM. Clients use its Confluent-compatible API at {@link #url()}.
 */
final class LocalRegistry implements AutoCloseable {

    static final String JAR_PROPERTY = "eventstore.registry.jar";
    static final String JAR_ENV = "EVENTSTORE_REGISTRY_JAR";
    private static final String JAR_IN_BUILD = "local-registry/target/quarkus-app/quarkus-run.jar";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final ChildJvm jvm;
    private final int port;

    private LocalRegistry(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /** @param storage where schemas persist, or empty to keep them in memory */
    static LocalRegistry start(int port, Optional<Path> storage, Path log) {
        Path jar = locateJar();
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        storage.ifPresent(dir -> options.add("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath()));
        ChildJvm jvm = ChildJvm.start("schema registry", ChildJvm.ownLocation() + File.pathSeparator + jar, options,
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), log);
        LocalRegistry registry = new LocalRegistry(jvm, port);
        registry.awaitReady(log);
        registry.setGlobalCompatibility("BACKWARD");
        return registry;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /**
     * Through the Confluent API, so that the registry reports the level it enforces: Apicurio enforces
     * its configured default rule but answers {@code NONE} to {@code GET /config} until one is stored.
     */
    private void setGlobalCompatibility(String level) {
        HttpRequest put = HttpRequest.newBuilder(URI.create(url() + "/config")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}")).build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new LocalStackException("the schema registry refused compatibility " + level + ": " + answer.body());
            }
        } catch (IOException e) {
            throw new LocalStackException("could not set the schema registry's compatibility: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while configuring the schema registry", e);
        }
    }

    private void awaitReady(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest subjects = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!jvm.isAlive()) {
                throw new LocalStackException("the schema registry exited during start; see " + log);
            }
            try {
                if (http.send(subjects, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while starting the schema registry", e);
            }
            if (System.nanoTime() > deadline) {
                jvm.kill();
                throw new LocalStackException("the schema registry was not ready within " + READY_TIMEOUT + "; see " + log);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while starting the schema registry", e);
            }
        }
    }

    private static Path locateJar() {
        String configured = System.getProperty(JAR_PROPERTY, System.getenv(JAR_ENV));
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new LocalStackException("the schema registry jar " + jar + " (from " + JAR_PROPERTY + "/" + JAR_ENV
                    + ") does not exist; build it with: mvn -pl local-registry package");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(JAR_IN_BUILD);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new LocalStackException("no schema registry jar found: set " + JAR_PROPERTY + " or " + JAR_ENV
                + ", or build it with: mvn -pl local-registry package");
    }

    @Override
    public void close() {
        jvm.stop(20);
    }
}
