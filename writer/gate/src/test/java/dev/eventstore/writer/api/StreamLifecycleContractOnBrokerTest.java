package dev.eventstore.writer.api;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle contract on the real broker of the embedded stack, through the client's public methods. */
class StreamLifecycleContractOnBrokerTest extends StreamLifecycleContract {

    @TempDir
    static Path stateDir;

    static BrokerGate gate;

    @BeforeAll
    static void startGate() {
        gate = BrokerGate.start(stateDir);
    }

    @AfterAll
    static void stopGate() {
        gate.close();
    }

    @Override
    GateUnderTest gate() {
        return gate;
    }
}
