package dev.eventstore.writer.gate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fences the transactions that gate instances gone from the group left open. A killed or hung gate's open
 * transaction holds back the instance taking its partitions over, which waits for the transaction's offset commit
 * to be settled before it fetches the committed offsets (KIP-447), and every {@code read_committed} reader of the
 * partitions it wrote to (clients waiting for their results among them), until its coordinator aborts it: the
 * transaction timeout after it began plus up to the brokers' check interval
 * ({@code transaction.abort.timed.out.transaction.cleanup.interval.ms}, Kafka's 10 s). Measured with a gate of two
 * killed on three brokers: 11.2 and 17.8 s without an answer, against the 10 s session timeout. Fencing the
 * transactional id aborts the transaction at once, so the window after a crash is the session timeout and a
 * rebalance. The look runs whenever this instance starts a rebalance (a member gone is what starts it) and ends one.
 *
 * <p>Under exactly-once v2 a stream thread's transactional id is {@code <application id>-<process id>-<thread index>},
 * and, unless {@code client.id} is set, its consumer's client id is
 * {@code <application id>-<process id>-StreamThread-<n>-consumer}. An open transaction needs tasks, and tasks need a
 * member, so an open transaction whose process has no member in the group (looked up after the transactions, so a
 * process that joined in between is spared), and is not this one, belongs to an instance that is dead, hung past its
 * session, or gone. When a member's client id does not tell its process (a {@code client.id} of the user's), nothing
 * is fenced: the transaction timeout decides. Under the Streams rebalance protocol (KIP-1071), whose groups are no
 * consumer groups, the look is off.
 */
final class AbandonedTransactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AbandonedTransactions.class);
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Duration ADMIN_CALL = Duration.ofSeconds(30);

    private final String applicationId;
    /** The consumer client ids of this instance's stream threads: this process is alive whatever the group says. */
    private final Supplier<Collection<String>> ownConsumers;
    /** Null where the look is off: under the Streams rebalance protocol, or with a {@code client.id} of the user's. */
    private final Admin admin;
    private final ExecutorService worker;
    /** A look already waiting to run covers every rebalance that ended before it starts. */
    private final AtomicBoolean lookPending = new AtomicBoolean();

    private AbandonedTransactions(String applicationId, Admin admin, Supplier<Collection<String>> ownConsumers) {
        this.applicationId = applicationId;
        this.ownConsumers = ownConsumers;
        this.admin = admin;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, applicationId + "-abandoned-transactions");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * For the gate {@code applicationId} run with {@code streamsProperties}, whose admin client settings its own
     * takes, and whose stream threads' consumers are {@code ownConsumers}.
     */
    static AbandonedTransactions of(String applicationId, Properties streamsProperties, Supplier<Collection<String>> ownConsumers) {
        Admin admin = !Failover.fencesAbandonedTransactions(streamsProperties) ? null
                : Admin.create(GateStreams.adminConfigs(streamsProperties, applicationId + "-abandoned-transactions"));
        return new AbandonedTransactions(applicationId, admin, ownConsumers);
    }

    /** Looks for abandoned transactions and fences them, on a thread of its own. */
    void fenceAbandoned() {
        if (admin != null && lookPending.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    lookPending.set(false);
                    fence();
                });
            } catch (RejectedExecutionException closed) {
                // The gate is closing: no partitions to take over any more.
            }
        }
    }

    private void fence() {
        long start = System.nanoTime();
        try {
            // Transactions first, members after: a process that owned one of them and is a member by then is spared.
            Collection<TransactionListing> ongoing = admin.listTransactions(new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))).all().get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups()
                    .get(applicationId).get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
            List<String> alive = new ArrayList<>(ownConsumers.get());
            group.members().forEach(member -> alive.add(member.clientId()));
            Optional<Set<String>> abandoned = abandoned(applicationId, ongoing, alive);
            log.debug("Gate {}: open transactions {}, consumers alive {}, abandoned {}", applicationId,
                    ongoing.stream().map(TransactionListing::transactionalId).toList(), alive, abandoned);
            if (abandoned.isEmpty()) {
                log.debug("Gate {}: a member's client id does not name its process; abandoned transactions are left to time out",
                        applicationId);
                return;
            }
            if (!abandoned.get().isEmpty()) {
                admin.fenceProducers(abandoned.get()).all().get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Gate {}: fenced the transactional ids {}, whose open transactions instances gone from the group"
                        + " left, in {} ms", applicationId, abandoned.get(),
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Gate {}: could not look for or fence abandoned transactions; they end at their transaction timeout: {}",
                    applicationId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The transactional ids among {@code ongoing} of {@code applicationId}'s stream threads whose process has no
     * member among {@code memberClientIds}; empty when a member's client id does not name its process.
     */
    static Optional<Set<String>> abandoned(String applicationId, Collection<TransactionListing> ongoing,
                                           Collection<String> memberClientIds) {
        Pattern consumerClientId = Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-StreamThread-\\d+-consumer");
        Pattern transactionalId = Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-\\d+");
        Set<String> liveProcesses = new TreeSet<>();
        for (String clientId : memberClientIds) {
            Matcher member = consumerClientId.matcher(clientId);
            if (!member.matches()) {
                return Optional.empty();
            }
            liveProcesses.add(member.group(1));
        }
        Set<String> abandoned = new TreeSet<>();
        for (TransactionListing transaction : ongoing) {
            Matcher id = transactionalId.matcher(transaction.transactionalId());
            if (id.matches() && !liveProcesses.contains(id.group(1))) {
                abandoned.add(transaction.transactionalId());
            }
        }
        return Optional.of(abandoned);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
