package dev.eventstore.writer.gate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The gate's settings that bound how long its partitions go unanswered when an instance stops, dies or
 * hangs. Every one can be overridden through the gate's Kafka properties.
 *
 * <ul>
 *   <li><b>Static membership</b> ({@code group.instance.id}): an instance that restarts takes its
 *       partitions back at once, without a rebalance; the id is derived from the host and the state
 *       directory, so it is stable across restarts and distinct between instances.</li>
 *   <li><b>Session timeout</b> {@value #SESSION_TIMEOUT_MS} ms (Kafka: 45 s): how long a killed or hung
 *       instance keeps its partitions. <b>Heartbeats</b> every {@value #HEARTBEAT_MS} ms (Kafka: 3 s): the other
 *       instances learn of a rebalance (one stopped and left) at their next heartbeat (measured: a stopped
 *       gate's window 3.3 and 3.7 s with 3 s, 2.8 and 3.1 s with 1 s).</li>
 *   <li><b>Transaction timeout</b> {@value #TRANSACTION_TIMEOUT_MS} ms: how long a gate's transaction may wait on a
 *       hung partition leader or coordinator before the brokers abort it. Aborted, the gate replaces its stream thread
 *       and rebalances while the broker still hangs: with 10 s, 3 of 19 runs of a broker paused for 30 s acknowledged
 *       almost nothing for the whole pause (24-36 appends, against 700-1,800), with 20 s none of 16
 *       (ClusterFaultsTest, BENCHMARKS.md). A transaction a killed instance left open holds back the partitions' new
 *       owner and every {@code read_committed} reader of them until it ends; the instance taking them over fences it
 *       at once ({@link AbandonedTransactions}), so this timeout does not lengthen a crash's window. Where the gates
 *       cannot tell a dead instance's transactions (a {@code client.id} of the user's, the Streams rebalance protocol)
 *       it is {@value #TRANSACTION_TIMEOUT_UNFENCED_MS} ms (Streams' own), as the coordinator aborts it only after the
 *       timeout plus its check interval (Kafka's 10 s).</li>
 *   <li><b>Request timeout</b> {@value #REQUEST_TIMEOUT_MS} ms (Kafka: 30 s) for every client of the gate: a
 *       broker that hangs without closing its connections (a paused process, a cut-off machine) holds each
 *       request sent to it this long before the client looks for the partition's new leader, which the
 *       controller elects once the broker misses its session ({@code broker.session.timeout.ms}).</li>
 *   <li><b>API timeout</b> {@value #API_TIMEOUT_MS} ms (Kafka: 60 s) for one call of the admin client or a
 *       blocking call of a consumer: such a call keeps asking the leader it looked up, so before a task
 *       starts, Streams' lookup of its changelogs' end offsets waited on a paused broker until it came back;
 *       bounded, the call fails and Streams asks again, finding the new leader.</li>
 *   <li><b>The admin client's API timeout</b> {@value #ADMIN_API_TIMEOUT_MS} ms, the request timeout: Kafka's admin
 *       client checks its requests' timeouts only when it wakes for a call's deadline, so a request to a hung broker
 *       is held for the whole API timeout. Streams asks it for the changelogs' end offsets when a task starts and
 *       when the group leader assigns tasks, from leaders it cached before the broker hung: measured with a broker
 *       paused for 30 s, each of these calls waited 10 s on it (ClusterFaultsTest).</li>
 *   <li><b>One standby replica</b> of each task's state on another instance (when there is one), kept
 *       current from the changelog: the instance taking a partition over starts at once instead of
 *       restoring its state (measured: 3.5 to 2.9 s after a graceful stop, 13.9 to 12.7 s after a kill).</li>
 *   <li><b>Probing rebalances</b> every {@value #PROBING_REBALANCE_MS} ms (Kafka Streams: 10 min, this the least it
 *       allows). An instance that stopped gracefully and starts again joins as a new member, its state behind the
 *       changelog by whatever the others appended meanwhile (beyond {@code acceptable.recovery.lag}, 10,000 records,
 *       in two seconds at 5,000 appends/s): Streams leaves its partitions with the others and warms its state up,
 *       handing the partitions back only at a probing rebalance. With Streams' 10 minutes a restarted gate served
 *       nothing for up to ten minutes after every rolling restart, the others carrying its load. Streams probes only
 *       while a warm-up is under way, so a settled group pays nothing for it.</li>
 *   <li><b>Transactional state stores</b> (KIP-892, off in Kafka 4.4): without them, a standby promoted to an
 *       active task under exactly-once has no checkpoint, so Streams declares it corrupted, wipes it, restores it
 *       from the changelog from scratch and rebalances again; with them the store keeps its committed position
 *       and the standby starts at once (measured: a stopped gate's window 2.3 and 2.4 s against 2.8 to 3.3 s).</li>
 * </ul>
 * A graceful stop leaves the group at once ({@link Gate#close()}).
 */
final class Failover {

    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int HEARTBEAT_MS = 1_000;
    static final int TRANSACTION_TIMEOUT_MS = 20_000;
    static final int TRANSACTION_TIMEOUT_UNFENCED_MS = 10_000;
    static final int STANDBY_REPLICAS = 1;
    static final int PROBING_REBALANCE_MS = 60_000;
    static final int REQUEST_TIMEOUT_MS = 5_000;
    static final int API_TIMEOUT_MS = 10_000;
    static final int ADMIN_API_TIMEOUT_MS = REQUEST_TIMEOUT_MS;

    private Failover() {}

    /**
     * The settings above, each left out when {@code configured} (the user's Kafka properties) sets it, with
     * or without a client prefix: in Kafka Streams a prefixed setting would win over the user's plain one.
     */
    static Map<String, Object> streamsProperties(String applicationId, Path stateDir, Map<String, Object> configured) {
        Map<String, Object> defaults = new HashMap<>();
        boolean streamsProtocol = streamsProtocol(configured);
        if (!streamsProtocol) {
            // The Streams rebalance protocol (KIP-1071) refuses static membership in Kafka 4.3 and takes the
            // session, heartbeat and standby replicas from the brokers' group settings instead.
            defaults.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId(applicationId, stateDir));
            defaults.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
            defaults.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_MS);
        }
        Map<String, Object> props = new HashMap<>();
        defaults.forEach((key, value) -> {
            if (!configured.containsKey(key) && !configured.containsKey(StreamsConfig.consumerPrefix(key))
                    && !configured.containsKey(StreamsConfig.mainConsumerPrefix(key))) {
                props.put(StreamsConfig.mainConsumerPrefix(key), value);
            }
        });
        if (!streamsProtocol && !configured.containsKey(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)) {
            props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, STANDBY_REPLICAS);
        }
        if (!streamsProtocol && !configured.containsKey(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG)) {
            props.put(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, PROBING_REBALANCE_MS);
        }
        // Unprefixed, so it reaches the producer, the consumers and the admin client alike; a prefixed
        // setting of the user's still wins for its client.
        if (!configured.containsKey(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG)) {
            props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        }
        if (!configured.containsKey(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)) {
            props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        }
        String apiTimeout = CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG;
        if (!configured.containsKey(apiTimeout)) {
            props.put(apiTimeout, API_TIMEOUT_MS);
            if (!configured.containsKey(StreamsConfig.adminClientPrefix(apiTimeout))) {
                props.put(StreamsConfig.adminClientPrefix(apiTimeout), ADMIN_API_TIMEOUT_MS);
            }
        }
        String transactionTimeout = ProducerConfig.TRANSACTION_TIMEOUT_CONFIG;
        if (!configured.containsKey(transactionTimeout) && !configured.containsKey(StreamsConfig.producerPrefix(transactionTimeout))) {
            props.put(StreamsConfig.producerPrefix(transactionTimeout),
                    fencesAbandonedTransactions(configured) ? TRANSACTION_TIMEOUT_MS : TRANSACTION_TIMEOUT_UNFENCED_MS);
        }
        return props;
    }

    /**
     * Whether the gates fence the transactions a dead instance left open ({@link AbandonedTransactions}): under the
     * classic group protocol, with the client ids Kafka Streams derives from each instance's process id.
     */
    static boolean fencesAbandonedTransactions(Map<?, ?> configured) {
        return !streamsProtocol(configured) && !configured.containsKey(CommonClientConfigs.CLIENT_ID_CONFIG);
    }

    /** Whether the gate runs the Streams rebalance protocol (KIP-1071) rather than the classic consumer group one. */
    static boolean streamsProtocol(Map<?, ?> configured) {
        return "streams".equalsIgnoreCase(String.valueOf(configured.get(StreamsConfig.GROUP_PROTOCOL_CONFIG)));
    }

    /** {@code <application id>-<host>-<hash of the state directory>}: one instance, one id, across restarts. */
    static String instanceId(String applicationId, Path stateDir) {
        String dir = stateDir.toAbsolutePath().normalize().toString();
        return applicationId + "-" + hostName() + "-" + HexFormat.of().toHexDigits(dir.hashCode());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
