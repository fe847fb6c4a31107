package dev.eventstore.launcher;

import dev.eventstore.local.LocalStack;
import dev.eventstore.local.Signals;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A role ({@code gate}, {@code indexer}) of the launcher running as an OS process of its own, for fault tests. */
final class RoleProcess {

    private static final Pattern METRICS_PORT = Pattern.compile("metrics on http://localhost:(\\d+)/metrics");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String role;
    private final Path log;
    private final Process process;

    private RoleProcess(String role, Path log, Process process) {
        this.role = role;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code ./eventstore <role> --config <settings>} on this JVM's class path and waits until it says it is ready. */
    static RoleProcess startReady(String role, Path settings, Path logDir) throws IOException, InterruptedException {
        Path log = logDir.resolve(role + "-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), role, "--config", settings.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RoleProcess started = new RoleProcess(role, log, process);
        started.awaitOutput(role + " ready", Duration.ofSeconds(90));
        return started;
    }

    /** Writes a settings file for the roles on {@code stack}: topics, index schema and gate state named after {@code prefix}. */
    static Path writeSettings(LocalStack stack, String prefix, Path dir, String... more) throws IOException {
        Path settings = dir.resolve(prefix + ".properties");
        List<String> lines = new ArrayList<>(List.of(
                "kafka.bootstrap.servers=" + stack.bootstrapServers(),
                "jdbc.url=" + stack.jdbcUrl(),
                "jdbc.user=" + stack.jdbcUser(),
                "schema.registry.url=" + stack.schemaRegistryUrl(),
                "topic.prefix=" + prefix,
                "index.schema=" + prefix,
                "gate.state.dir=" + dir.resolve(prefix + "-gate-state"),
                "metrics.port=0"));
        lines.addAll(List.of(more));
        Files.write(settings, lines);
        return settings;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public String toString() {
        return "the " + role + " process " + process.pid();
    }

    /** SIGKILL, as in a crash: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process hangs as one in a long GC pause or on a frozen VM does. */
    void pause() {
        Signals.send(process.pid(), "STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() {
        Signals.send(process.pid(), "CONT");
    }

    /** SIGTERM; returns the exit status. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the " + role + " did not stop within " + timeout + " of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** GET of a path of the role's metrics endpoint: status and body. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        Matcher port = METRICS_PORT.matcher(output());
        if (!port.find()) {
            throw new AssertionError("the " + role + " printed no metrics address; see " + log);
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port.group(1) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("the " + role + " did not print '" + text + "'" + (process.isAlive() ? " in time" : "")
                        + "; its output:\n" + output());
            }
            Thread.sleep(100);
        }
    }
}
