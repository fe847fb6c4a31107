package dev.eventstore.client;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventstore.reader.EventDecoder;
import dev.eventstore.reader.query.ReadPool;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.personal.CachingKeyStore;
import dev.eventstore.schemas.personal.DataKeyStore;
import dev.eventstore.schemas.personal.PostgresKeyStore;
import io.micrometer.core.instrument.Metrics;
import java.time.Instant;
import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.snapshot.SnapshotStore;
import dev.eventstore.reader.subscription.EventHandler;
import dev.eventstore.reader.subscription.Subscription;
import dev.eventstore.reader.subscription.SubscriptionConfig;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.PayloadJson;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The one entry point of an application: {@code EventStoreClient.connect(settings)}, then
 * {@link #appends()}, {@link #reads()}, {@link #subscribe}, {@link #snapshots()}, {@link #decoder()} and
 * {@link #forget} (personal data).
 * Thread-safe. Each part opens its connections on first use, so an application that only reads needs
 * no Kafka address and one that only appends no database; {@link #close()} closes every part it opened,
 * subscriptions included. The parts remain usable on their own ({@code AppendClient.create},
 * {@code new EventReader(...)}, {@code Subscription.start}, {@code new SnapshotStore(...)}).
 */
public final class EventStoreClient implements AutoCloseable {

    private final EventStoreSettings settings;
    private final OpenTelemetry openTelemetry;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private DataKeyStore keys;
    private HikariDataSource keyConnections;
    private AppendClient appends;
    private EventReader reads;
    private SnapshotStore snapshots;
    private SchemaRegistryClient registry;
    private EventDecoder decoder;
    private boolean closed;

    private EventStoreClient(EventStoreSettings settings, OpenTelemetry openTelemetry, DataKeyStore keys) {
        this.settings = settings;
        this.openTelemetry = openTelemetry;
        this.keys = keys;
    }

    /**
     * A client for the store {@code settings} name; nothing is opened until a part is first used. Appends and
     * subscriptions are traced with {@link GlobalOpenTelemetry} as set now (a no-op unless the application's SDK or
     * the Java agent set it before; this never sets it). Its key store of personal data is the {@code data_keys}
     * table of the index database ({@code jdbc.*}), cached for {@code keys.cache.ttl.ms}.
     */
    public static EventStoreClient connect(EventStoreSettings settings) {
        return new EventStoreClient(settings, GlobalOpenTelemetry.getOrNoop(), null);
    }

    /** As {@link #connect(EventStoreSettings)}, appends and subscriptions traced with {@code openTelemetry}. */
    public static EventStoreClient connect(EventStoreSettings settings, OpenTelemetry openTelemetry) {
        return new EventStoreClient(settings, Objects.requireNonNull(openTelemetry, "openTelemetry"), null);
    }

    /** A client whose personal data is encrypted with keys from {@code keys} (another key store: a KMS, say). */
    public static EventStoreClient connect(EventStoreSettings settings, DataKeyStore keys) {
        return new EventStoreClient(settings, GlobalOpenTelemetry.getOrNoop(), Objects.requireNonNull(keys, "keys"));
    }

    /** Both: traced with {@code openTelemetry}, personal data encrypted with keys from {@code keys}. */
    public static EventStoreClient connect(EventStoreSettings settings, OpenTelemetry openTelemetry, DataKeyStore keys) {
        return new EventStoreClient(settings, Objects.requireNonNull(openTelemetry, "openTelemetry"),
                Objects.requireNonNull(keys, "keys"));
    }

    /**
     * The key store of personal data: the one given to {@link #connect(EventStoreSettings, DataKeyStore)}, else
     * the index database's {@code data_keys} table behind a cache of {@code keys.cache.ttl.ms} (30 s by default).
     */
    public synchronized DataKeyStore keys() {
        checkOpen();
        if (keys == null) {
            IndexDatabase database = settings.indexDatabase("the key store of personal data");
            keyConnections = ReadPool.open(database, "keys", false);
            keys = new CachingKeyStore(new PostgresKeyStore(keyConnections::getConnection, database.schema()),
                    settings.keyCacheTtl().orElse(CachingKeyStore.DEFAULT_TTL));
        }
        return keys;
    }

    /**
     * Forgets a data subject (crypto-shredding): destroys its key, so its personal fields read as erased on every
     * path, in this process at once and in others within their key cache's time to live. Appends of personal data
     * for it are refused from then on. The events themselves stay, in the log and the index.
     *
     * @return when the subject was forgotten (the first time, when forgotten before)
     * @throws dev.eventstore.schemas.personal.UnknownSubjectException when the key store never had a key for it
     * @throws dev.eventstore.schemas.personal.KeyStoreUnavailableException when the key store cannot be reached (retryable)
     */
    public Instant forget(String subject) {
        return keys().forget(subject);
    }

    /** The key store when this client can have one: the database is configured, or one was given. */
    private DataKeyStore keysIfConfigured() {
        return keys != null || settings.get("jdbc.url").isPresent() ? keys() : null;
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
                    defaults.limits(), settings.kafkaProperties()), Metrics.globalRegistry, openTelemetry, keysIfConfigured());
        }
        return appends;
    }

    /**
     * Reads from the index: streams, {@code $all}, categories, types, read-your-writes ({@code jdbc.*}). With
     * {@code schema.registry.url} set, events carry their payload's JSON whether or not the index keeps it.
     */
    public synchronized EventReader reads() {
        checkOpen();
        if (reads == null) {
            reads = settings.get("schema.registry.url").isPresent()
                    ? new EventReader(settings.indexDatabase("reads"),
                            new PayloadJson(new EventCodec(registry("reads"), settings.topics().events(), false)))
                    : new EventReader(settings.indexDatabase("reads"));
        }
        return reads;
    }

    /** Snapshots, kept in the index database, their state schemas in the registry. */
    public synchronized SnapshotStore snapshots() {
        checkOpen();
        if (snapshots == null) {
            snapshots = new SnapshotStore(settings.indexDatabase("snapshots"), registry("snapshots"), settings.topics(), keys());
        }
        return snapshots;
    }

    /** Decodes events' payloads with their writer's schema, resolved to the reader's. */
    public synchronized EventDecoder decoder() {
        checkOpen();
        if (decoder == null) {
            decoder = new EventDecoder(registry("decoding"), keysIfConfigured());
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
        parts.add(keyConnections);
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
