package dev.eventstore.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker child JVM: formats the KRaft storage on first start, then runs {@code kafka.Kafka}.
 * Arguments: the server.properties file, the log directory, the cluster id.
 */
public final class BrokerMain {

    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        String config = args[0];
        Path logDir = Path.of(args[1]);
        String clusterId = args[2];
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int status = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config}, System.out);
            if (status != 0) {
                System.err.println("formatting the KRaft storage failed with status " + status);
                System.exit(status);
            }
        }
        kafka.Kafka.main(new String[] {config});
    }
}
