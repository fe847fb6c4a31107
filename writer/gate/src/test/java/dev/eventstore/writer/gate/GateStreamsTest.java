package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.junit.jupiter.api.Test;

class GateStreamsTest {

    private static final String STORE_MBEAN =
            "kafka.streams:type=stream-state-metrics,thread-id=gate-StreamThread-1,task-id=0_1,rocksdb-state-id=stream-versions";

    @Test
    void theUncommittedBytesGaugesAreLeftOutAndEveryOtherMetricKept() {
        assertThat(GateStreams.readableFromAnyThread(new MetricName("uncommitted-bytes", "stream-state-metrics", "", Map.of())))
                .isFalse();
        assertThat(GateStreams.readableFromAnyThread(new MetricName("commit-rate", "stream-thread-metrics", "", Map.of())))
                .isTrue();
    }

    @Test
    void theStateStoresMBeansAreExcludedFromJmxAndNothingElse() {
        Pattern exclude = Pattern.compile(excludeOf(new Properties()));
        assertThat(exclude.matcher(STORE_MBEAN).matches()).isTrue();
        assertThat(exclude.matcher("kafka.streams:type=stream-thread-metrics,thread-id=gate-StreamThread-1").matches()).isFalse();
        assertThat(exclude.matcher("kafka.producer:type=producer-metrics,client-id=gate-producer").matches()).isFalse();
    }

    @Test
    void aUsersOwnJmxExclusionIsKeptBesideTheGates() {
        Properties properties = new Properties();
        properties.put(JmxReporter.EXCLUDE_CONFIG, "kafka\\.consumer:.*");
        Pattern exclude = Pattern.compile(excludeOf(properties));
        assertThat(exclude.matcher("kafka.consumer:type=consumer-metrics,client-id=x").matches()).isTrue();
        assertThat(exclude.matcher(STORE_MBEAN).matches()).isTrue();
        assertThat(exclude.matcher("kafka.producer:type=producer-metrics,client-id=x").matches()).isFalse();
    }

    private static String excludeOf(Properties properties) {
        return GateStreams.withStateStoreMBeansExcluded(properties).getProperty(JmxReporter.EXCLUDE_CONFIG);
    }
}
