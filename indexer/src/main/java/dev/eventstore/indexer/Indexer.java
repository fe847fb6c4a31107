package dev.eventstore.indexer;

import dev.eventstore.schemas.DeadLetters;
import dev.eventstore.schemas.EventsConsumers;
import dev.eventstore.schemas.IndexDatabase;
import dev.eventstore.schemas.MeterGroup;
import dev.eventstore.schemas.Pause;
import dev.eventstore.schemas.StreamMarker;
import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.SchemaRegistryClient;
import dev.eventstore.schemas.registry.SchemaRegistryException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects the events topic into PostgreSQL, exactly once. A consumer group member reads committed
 * events only; each polled batch is written in one database transaction together with the next offset
 * of each partition, and on every assignment the member seeks to the offsets stored there. Whatever
 * fails, PostgreSQL holds a prefix of the log: no gap, no duplicate.
 *
 * <p>Global positions become visible in the order they are assigned, also with several instances:
 * {@link IndexWriter} serialises the write transactions of all instances with an advisory lock.
 */
public final class Indexer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Indexer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /**
     * How often the events that a stream's max age expired are deleted from the index. Reads filter them at
     * once; this bounds how long their rows stay.
     */
    static final Duration RETENTION_SWEEP_INTERVAL = Duration.ofMinutes(1);
    /**
     * How often the stored positions are copied to the consumer group's offsets, and once more at close. Those
     * offsets are informational, for tools that read a group's offsets (the positions in PostgreSQL are the ones
     * that count); copied after every batch, they were one offset commit per gate transaction, 47 requests a
     * second to the broker at 5,000 appends/s.
     */
    static final Duration GROUP_OFFSETS_INTERVAL = Duration.ofSeconds(1);

    private final IndexerConfig config;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventRows rows;
    private final IndexWriter writer;
    private final DeadLetters deadLetters;
    private final Map<TopicPartition, Long> storedPositions = new HashMap<>();
    private final Set<TopicPartition> needSeek = new HashSet<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread;
    private Connection connection;
    private MeterGroup meters;
    private volatile boolean running = true;
    private volatile long indexedEvents;
    private volatile long degradedEvents;
    private volatile IndexerLag lag = new IndexerLag(Map.of(), Map.of());
    private final Map<TopicPartition, Long> oldestUnindexed = new HashMap<>();
    private final Map<TopicPartition, Integer> uncommitted = new HashMap<>();
    /** Unplaceable records of committed batches not yet parked (see {@link #parkSetAside}). */
    private final List<Unplaceable> toPark = new ArrayList<>();
    private final IndexTracing tracing;
    private long lastLagLog = System.nanoTime();
    private long lastRetentionSweep = System.nanoTime();
    private long lastGroupOffsets = System.nanoTime();
    /** Positions stored in PostgreSQL since they were last copied to the group's offsets. */
    private final Map<TopicPartition, OffsetAndMetadata> groupOffsetsDue = new HashMap<>();

    private Indexer(IndexerConfig config, OpenTelemetry openTelemetry) {
        this.config = config;
        this.tracing = new IndexTracing(openTelemetry);
        // Keys stay bytes: the envelope carries the stream id, and parking copies the key as it is; decoding
        // each key into a String cost a catch-up time for nothing.
        this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.rows = new EventRows(new EventCodec(new SchemaRegistryClient(config.schemaRegistry()), config.topics().events(), false), config.dataJson());
        this.writer = new IndexWriter(config.database().schema());
        this.deadLetters = new DeadLetters(config.bootstrapServers(), config.topics().deadLetters(), config.kafkaProperties());
        this.thread = new Thread(this::run, "indexer-" + config.groupId());
    }

    /** Migrates the index schema, then starts indexing in a thread of its own. */
    public static Indexer start(IndexerConfig config) {
        return start(config, Metrics.globalRegistry);
    }

    /**
     * As {@link #start(IndexerConfig)}, publishing to {@code meters}, tagged with the group:
     * {@code eventstore.indexer.lag.events} (total over its partitions), {@code eventstore.indexer.lag.seconds}
     * (age of the oldest event not yet indexed), {@code eventstore.indexer.events} (indexed since start) and
     * {@code eventstore.indexer.degraded.events} (of those, indexed with a form left out or escaped).
     */
    public static Indexer start(IndexerConfig config, MeterRegistry meters) {
        return start(config, meters, GlobalOpenTelemetry.getOrNoop());
    }

    /**
     * As {@link #start(IndexerConfig, MeterRegistry)}, each batch written in a span of {@code openTelemetry}
     * linked to the trace contexts of its events (README, "Tracing"); the other factories use
     * {@link GlobalOpenTelemetry}, as set when it is created (a no-op unless an SDK or the Java agent set it before).
     */
    public static Indexer start(IndexerConfig config, MeterRegistry meters, OpenTelemetry openTelemetry) {
        IndexSchema.migrate(config.database());
        Indexer indexer = new Indexer(config, openTelemetry);
        indexer.meters = new MeterGroup(meters, Tags.of("group", config.groupId()))
                .gauge("eventstore.indexer.lag.events", "events in the log not yet in PostgreSQL", indexer, i -> i.lag().totalEvents())
                .gauge("eventstore.indexer.lag.seconds", "age of the oldest event not yet in PostgreSQL", indexer,
                        i -> i.lag().maxMillis() / 1000.0)
                .counter("eventstore.indexer.events", "events written to PostgreSQL by this instance", indexer, Indexer::indexedEvents)
                .counter("eventstore.indexer.degraded.events",
                        "events indexed with a form left out or escaped (see the events table's degraded column)", indexer,
                        Indexer::degradedEvents);
        indexer.thread.start();
        return indexer;
    }

    /** Whether the indexing thread still runs: false after {@link #close()} or a failure it cannot retry. */
    public boolean isRunning() {
        return !stopped.isDone();
    }

    /** Completes when the indexing thread ends: normally after {@link #close()}, exceptionally on a failure it cannot retry. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /**
     * Per partition of the events topic, the next offset to index as stored in PostgreSQL (the index holds
     * the log before it); partitions never indexed are absent. For lag tools: needs no running indexer.
     */
    public static Map<TopicPartition, Long> storedPositions(IndexerConfig config) throws SQLException {
        IndexDatabase db = config.database();
        try (Connection connection = db.connect()) {
            return new IndexWriter(db.schema()).positions(connection, config.topics().events());
        }
    }

    /** Events written to PostgreSQL by this instance since it started. */
    public long indexedEvents() {
        return indexedEvents;
    }

    /**
     * Events this instance indexed with a form left out or escaped (their {@code degraded} column says which
     * and why): a payload PostgreSQL cannot hold as it is never stops the index.
     */
    public long degradedEvents() {
        return degradedEvents;
    }

    /** The lag as of this instance's last poll. */
    public IndexerLag lag() {
        return lag;
    }

    private void run() {
        Throwable failure = null;
        try {
            consumer.subscribe(List.of(config.topics().events()), new SeekToStoredPositions());
            Duration backoff = Duration.ofMillis(100);
            while (running) {
                try {
                    parkSetAside();
                    seekWhereNeeded();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    noteOldest(records);
                    if (!records.isEmpty()) {
                        index(records);
                    }
                    measureLag();
                    sweepExpiredWhenDue();
                    copyPositionsToGroupWhenDue();
                    backoff = Duration.ofMillis(100);
                } catch (SQLException | SchemaRegistryException | PositionConflictException | KafkaException e) {
                    if (e instanceof WakeupException wakeup) {
                        throw wakeup;
                    }
                    // Transient (connection, lock, resources, registry): a row's content never lands here, IndexWriter
                    // writes such a row degraded instead, so retrying the same batch cannot loop on a payload.
                    log.warn("Indexing batch failed{}, retrying from the stored positions in {} ms: {}",
                            e instanceof SQLException sql ? " (SQLState " + sql.getSQLState() + ")" : "", backoff.toMillis(), e.toString());
                    closeConnection();
                    needSeek.addAll(consumer.assignment());
                    measureLag();
                    Pause.sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            log.error("Indexer stopped by an unexpected failure", e);
            failure = e;
        } finally {
            copyPositionsToGroupNow(consumer.assignment());
            consumer.close();
            deadLetters.close();
            closeConnection();
            if (failure == null) {
                stopped.complete(null);
            } else {
                stopped.completeExceptionally(failure);
            }
        }
    }

    private void index(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        Map<TopicPartition, Long> next = new HashMap<>();
        // The position is past every record returned so far, and past transaction markers after them:
        // storing it (not last offset + 1) lets a caught-up partition show a lag of exactly 0.
        for (TopicPartition partition : records.partitions()) {
            next.put(partition, consumer.position(partition));
        }
        records.partitions().forEach(partition -> uncommitted.put(partition, records.records(partition).size()));
        // Decoded lazily, while the writer streams the rows into PostgreSQL; lifecycle markers and records with no place in a
        // stream are set aside on the way. Each attempt of the batch (the writer writes it again with a row it could not
        // hold stripped) iterates it anew and so sets them aside anew.
        List<LoggedMarker> markers = new ArrayList<>();
        List<Unplaceable> setAside = new ArrayList<>();
        Iterable<IndexedEvent> batch = () -> {
            markers.clear();
            setAside.clear();
            return StreamSupport.stream(records.spliterator(), false)
                    .map(record -> toRowOrSetAside(record, markers, setAside)).filter(Objects::nonNull).iterator();
        };
        IndexWriter.Written written;
        Span span = tracing.start(records);
        try {
            written = writer.write(connection(), batch, markers, storedPositions, next);
            span.setAttribute("eventstore.indexed_events", (long) written.events());
        } catch (SQLException | RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
        // Committed: the batch's unplaceable records are now behind the stored positions, and parked once. A batch that
        // rolled back leaves them to its retry, which decodes them again.
        toPark.addAll(setAside);
        parkSetAside();
        uncommitted.keySet().removeAll(records.partitions());
        storedPositions.putAll(next);
        indexedEvents += written.events();
        degradedEvents += written.degraded();
        next.forEach((partition, offset) -> groupOffsetsDue.put(partition, new OffsetAndMetadata(offset)));
    }

    /** Copies the stored positions to the group's offsets once per {@link #GROUP_OFFSETS_INTERVAL} (see there). */
    private void copyPositionsToGroupWhenDue() {
        if (groupOffsetsDue.isEmpty() || System.nanoTime() - lastGroupOffsets < GROUP_OFFSETS_INTERVAL.toNanos()) {
            return;
        }
        lastGroupOffsets = System.nanoTime();
        consumer.commitAsync(Map.copyOf(groupOffsetsDue), null);
        groupOffsetsDue.clear();
    }

    /**
     * Copies the due positions of {@code partitions} at once, waiting for the broker: at close, so that a stopped
     * indexer's group shows where it stopped, and when partitions are revoked, before another indexer takes them on.
     * Best effort, as the copy is informational: no failure of it may keep the close from closing the consumer, or
     * end a rebalance callback (where a revoked partition's entries are dropped whether or not they were copied).
     */
    private void copyPositionsToGroupNow(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>(groupOffsetsDue);
        due.keySet().retainAll(partitions);
        groupOffsetsDue.keySet().removeAll(partitions);
        if (due.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(due, Duration.ofSeconds(5));
            } catch (WakeupException pendingWakeUp) {
                // close() woke the consumer while it was not polling: the wake-up is spent now
                consumer.commitSync(due, Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            log.warn("Indexer {} could not copy its positions to the group's offsets: {}", config.groupId(), e.toString());
        }
    }

    /**
     * The record's row, or null after adding a lifecycle marker to {@code markers} or setting aside a record that
     * has no place in a stream, to park it after the commit.
     */
    private IndexedEvent toRowOrSetAside(ConsumerRecord<byte[], byte[]> record, List<LoggedMarker> markers,
                                         List<Unplaceable> setAside) {
        try {
            Optional<StreamMarker> marker = StreamMarker.read(record.headers());
            if (marker.isPresent()) {
                markers.add(new LoggedMarker(marker.get(), record.partition(), record.offset(), record.timestamp()));
                return null;
            }
            return rows.toRow(record);
        } catch (IllegalArgumentException | UnindexableRecordException e) {
            setAside.add(new Unplaceable(record, e.getMessage()));
            return null;
        }
    }

    private void sweepExpiredWhenDue() throws SQLException {
        if (System.nanoTime() - lastRetentionSweep < RETENTION_SWEEP_INTERVAL.toNanos()) {
            return;
        }
        lastRetentionSweep = System.nanoTime();
        int deleted = writer.sweepExpired(connection());
        if (deleted > 0) {
            log.info("Indexer {}: deleted {} events past their stream's max age", config.groupId(), deleted);
        }
    }

    /**
     * Parks the unplaceable records of committed batches on the dead-letter topic. Not inside the batch's
     * transaction: there it waited for the broker while holding the index's advisory lock, and a batch that
     * then rolled back parked its records again on the retry. A park that fails stays pending and is tried
     * again before the next poll (the run loop's backoff); a crash before it loses only the dead-letter copy,
     * never the record, which stays in the events topic at the offset the copy would name.
     */
    private void parkSetAside() {
        while (!toPark.isEmpty()) {
            Unplaceable next = toPark.get(0);
            deadLetters.send(next.record(), next.reason());
            toPark.remove(0);
        }
    }

    /** A record with no place in a stream, and why. */
    private record Unplaceable(ConsumerRecord<byte[], byte[]> record, String reason) {}

    private void noteOldest(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            oldestUnindexed.putIfAbsent(partition, records.records(partition).get(0).timestamp());
        }
    }

    /** Lag from the consumer's own view of the log end (no broker round trip), logged now and then. */
    private void measureLag() {
        Map<TopicPartition, Long> events = new HashMap<>();
        Map<TopicPartition, Long> millis = new HashMap<>();
        long now = System.currentTimeMillis();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong known = consumer.currentLag(partition);
            if (known.isEmpty()) {
                continue; // no fetch yet: the lag of this partition is unknown, not zero
            }
            // Records not yet fetched, plus those fetched but not yet committed to PostgreSQL.
            long behind = known.getAsLong() + uncommitted.getOrDefault(partition, 0);
            events.put(partition, behind);
            if (behind == 0) {
                oldestUnindexed.remove(partition);
            }
            Long oldest = oldestUnindexed.get(partition);
            millis.put(partition, oldest == null ? 0 : Math.max(0, now - oldest));
        }
        oldestUnindexed.keySet().retainAll(consumer.assignment());
        lag = new IndexerLag(events, millis);
        if (System.nanoTime() - lastLagLog > config.lagLogInterval().toNanos()) {
            lastLagLog = System.nanoTime();
            log.info("Indexer {}: {} events indexed, lag {}", config.groupId(), indexedEvents, lag);
        }
    }

    private void seekWhereNeeded() throws SQLException {
        needSeek.retainAll(consumer.assignment());
        if (needSeek.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> stored = writer.positions(connection(), needSeek);
        for (TopicPartition partition : needSeek) {
            Long offset = stored.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
                storedPositions.remove(partition);
            } else {
                consumer.seek(partition, offset);
                storedPositions.put(partition, offset);
            }
        }
        uncommitted.keySet().removeAll(needSeek); // they will be fetched again, and counted by the consumer's lag
        log.info("Indexer {} resumes at {}", config.groupId(), stored.isEmpty() ? "the beginning" : stored);
        needSeek.clear();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            IndexDatabase db = config.database();
            connection = db.connect();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a failed connection", e);
            }
            connection = null;
        }
    }

    private final class SeekToStoredPositions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Seeking needs the database; done in the poll loop before the next poll, with its retries.
            needSeek.addAll(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            copyPositionsToGroupNow(partitions);
            partitions.forEach(storedPositions::remove);
            needSeek.removeAll(partitions);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            stopped.exceptionally(failure -> null).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
        meters.remove();
    }

    private static Map<String, Object> consumerProperties(IndexerConfig config) {
        Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch()));
        props.putAll(config.kafkaProperties());
        return EventsConsumers.properties(config.bootstrapServers(), config.groupId(), "earliest", props);
    }
}
