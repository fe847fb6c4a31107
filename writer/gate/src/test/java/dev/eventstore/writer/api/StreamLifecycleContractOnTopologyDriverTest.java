package dev.eventstore.writer.api;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class StreamLifecycleContractOnTopologyDriverTest extends StreamLifecycleContract {

    @TempDir
    static Path stateDir;

    private static TopologyDriverGate gate;

    @BeforeAll
    static void startDriver() {
        gate = new TopologyDriverGate(stateDir);
    }

    @AfterAll
    static void closeDriver() {
        gate.close();
    }

    @Override
    GateUnderTest gate() {
        return gate;
    }
}
