package dev.eventstore.client;

import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.snapshot.SnapshotStore;
import dev.eventstore.reader.subscription.EventHandler;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one entry point of an application: {@code EventStoreClient.connect(settings)}, then
 * {@link #appends()}, {@link #reads()}, {@link #subscribe}, {@link #snapshots()} and {@link #decoder()}.
 * Thread-safe. Each part opens its connections on first use, so an application that only reads needs
 * no Kafka address and one that only appends no database; {@link #close()} closes every part it opened,
 * subscriptions included. The parts remain usable on their own ({@code AppendClient.create},
 * {@code new EventReader(...)}, {@code Subscription.start}, {@code new SnapshotStore(...)}).
 */
public final class EventStoreClient implements AutoCloseable {

    private final EventStoreSettings settings;
    private final OpenTelemetry openTelemetry;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private AppendClient appends;
    private EventReader reads;
    private SnapshotStore snapshots;
    private SchemaRegistryClient registry;
    private EventDecoder decoder;
    private boolean closed;

    private EventStoreClient(EventStoreSettings settings, OpenTelemetry openTelemetry) {
        this.settings = settings;
        this.openTelemetry = openTelemetry;
    }

    /**
     * A client for the store {@code settings} name; nothing is opened until a part is first used. Appends and
     * subscriptions are traced with {@link GlobalOpenTelemetry} as set now (a no-op unless the application's SDK or
     * the Java agent set it before; this never sets it).
     */
    public static EventStoreClient connect(EventStoreSettings settings) {
        return connect(settings, GlobalOpenTelemetry.getOrNoop());
    }

    /** As {@link #connect(EventStoreSettings)}, appends and subscriptions traced with {@code openTelemetry}. */
    public static EventStoreClient connect(EventStoreSettings settings, OpenTelemetry openTelemetry) {
        return new EventStoreClient(settings, openTelemetry);
    }

    /** Appends through the gate ({@code kafka.bootstrap.servers}, {@code schema.registry.url}). */
    public synchronized AppendClient appends() {
        checkOpen();
        if (appends == null) {
            String neededFor = "appends";
            AppendClientConfig defaults = AppendClientConfig.of(settings.bootstrapServers(neededFor),
                    settings.schemaRegistry(neededFor).url().toString());
            appends = AppendClient.create(new AppendClientConfig(defaults.bootstrapServers(), settings.schemaRegistry(neededFor),
                    settings.topics(), settings.appendTimeout().orElse(defaults.defaultTimeout()), defaults.autoRegisterSchemas(),
                    defaults.limits(), settings.kafkaProperties()), Metrics.globalRegistry, openTelemetry);
        }
        return appends;
    }

    /** Reads from the index: streams, {@code $all}, categories, types, read-your-writes ({@code jdbc.*}). */
    public synchronized EventReader reads() {
        checkOpen();
        if (reads == null) {
            reads = new EventReader(settings.indexDatabase("reads"));
        }
        return reads;
    }

    /** Snapshots, kept in the index database, their state schemas in the registry. */
    public synchronized SnapshotStore snapshots() {
        checkOpen();
        if (snapshots == null) {
            snapshots = new SnapshotStore(settings.indexDatabase("snapshots"), registry("snapshots"), settings.topics());
        }
        return snapshots;
    }

    /** Decodes events' payloads with their writer's schema, resolved to the reader's. */
    public synchronized EventDecoder decoder() {
        checkOpen();
        if (decoder == null) {
            decoder = new EventDecoder(registry("decoding"));
        }
        return decoder;
    }

    /** Starts a member of the consumer group {@code groupId} on the events topic, from the beginning for a new group. */
    public Subscription subscribe(String groupId, EventHandler handler) {
        return subscribe(groupId, UnaryOperator.identity(), handler);
    }

    /**
     * Starts a member of the consumer group {@code groupId}; {@code options} adjusts its configuration
     * (start, filter, retries, …), e.g. {@code config -> config.withFilter(EventFilter.categories("Account"))}.
     */
    public synchronized Subscription subscribe(String groupId, UnaryOperator<SubscriptionConfig> options, EventHandler handler) {
        checkOpen();
        SubscriptionConfig config = SubscriptionConfig.of(settings.bootstrapServers("subscriptions"), groupId)
                .withTopics(settings.topics())
                .withKafkaProperties(settings.kafkaProperties());
        Subscription subscription = Subscription.start(options.apply(config), handler, Metrics.globalRegistry, openTelemetry);
        subscriptions.removeIf(running -> !running.isRunning());
        subscriptions.add(subscription);
        return subscription;
    }

    private SchemaRegistryClient registry(String neededFor) {
        if (registry == null) {
            registry = new SchemaRegistryClient(settings.schemaRegistry(neededFor));
        }
        return registry;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the event store client is closed");
        }
    }

    /** Closes every part opened: subscriptions (committing what was handled), appends (draining those in flight), reads. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> parts = new ArrayList<>(subscriptions);
        parts.add(appends);
        parts.add(snapshots);
        parts.add(reads);
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the event store client failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
