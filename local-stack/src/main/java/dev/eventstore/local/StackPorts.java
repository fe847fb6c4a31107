package dev.eventstore.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The stack's ports: free ones on first start, remembered in the data directory and reused on the next
 * start when still free, so that clients' addresses stay stable across restarts.
 */
record StackPorts(int kafka, int controller, int postgres, int registry, String clusterId) {

    private static final String FILE = "stack.properties";

    static StackPorts load(Path dataDir) {
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
        StackPorts ports = new StackPorts(reuseOrFree(saved, "kafka.port"), reuseOrFree(saved, "controller.port"),
                reuseOrFree(saved, "postgres.port"), reuseOrFree(saved, "registry.port"), clusterId);
        ports.save(file);
        return ports;
    }

    private void save(Path file) {
        Properties props = new Properties();
        props.setProperty("kafka.port", Integer.toString(kafka));
        props.setProperty("controller.port", Integer.toString(controller));
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
