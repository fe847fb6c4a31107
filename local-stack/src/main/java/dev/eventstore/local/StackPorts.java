package dev.eventstore.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The stack's ports: free ones on first start, remembered in the data directory and reused on the next
 * start when still free, so that clients' addresses stay stable across restarts. A cluster of several
 * Kafka nodes has a client and a controller port per node.
 *
 * @param kafka the client port of each Kafka node, node 1 first
 * @param controller the controller (KRaft quorum) port of each Kafka node
 */
record StackPorts(List<Integer> kafka, List<Integer> controller, int postgres, int registry, String clusterId) {

    private static final String FILE = "stack.properties";

    StackPorts {
        kafka = List.copyOf(kafka);
        controller = List.copyOf(controller);
    }

    static StackPorts load(Path dataDir) {
        return load(dataDir, 1);
    }

    /** The ports of a stack whose Kafka has {@code brokers} nodes. */
    static StackPorts load(Path dataDir, int brokers) {
        Path file = dataDir.resolve(FILE);
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                saved.load(in);
            } catch (IOException e) {
                throw new LocalStackException("could not read " + file, e);
            }
        }
        String clusterId = saved.getProperty("cluster.id", org.apache.kafka.common.Uuid.randomUuid().toString());
        List<Integer> kafka = new ArrayList<>();
        List<Integer> controller = new ArrayList<>();
        for (int node = 1; node <= brokers; node++) {
            kafka.add(reuseOrFree(saved, key("kafka.port", node)));
            controller.add(reuseOrFree(saved, key("controller.port", node)));
        }
        StackPorts ports = new StackPorts(kafka, controller, reuseOrFree(saved, "postgres.port"), reuseOrFree(saved, "registry.port"),
                clusterId);
        ports.save(file);
        return ports;
    }

    /** Node 1 keeps the keys of a single-broker stack, so that its saved ports carry over. */
    private static String key(String base, int node) {
        return node == 1 ? base : base + "." + node;
    }

    private void save(Path file) {
        Properties props = new Properties();
        for (int node = 1; node <= kafka.size(); node++) {
            props.setProperty(key("kafka.port", node), Integer.toString(kafka.get(node - 1)));
            props.setProperty(key("controller.port", node), Integer.toString(controller.get(node - 1)));
        }
        props.setProperty("postgres.port", Integer.toString(postgres));
        props.setProperty("registry.port", Integer.toString(registry));
        props.setProperty("cluster.id", clusterId);
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, "ports of the eventstore local stack");
        } catch (IOException e) {
            throw new LocalStackException("could not write " + file, e);
        }
    }

    private static int reuseOrFree(Properties saved, String key) {
        String previous = saved.getProperty(key);
        if (previous != null && isFree(Integer.parseInt(previous))) {
            return Integer.parseInt(previous);
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalStackException("no free port", e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
