package dev.eventstore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalCommandTest {

    @Test
    void aClusterOfMoreBrokersThanSupportedIsRefusedAsBadInputBeforeAnythingStarts() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("local", "--brokers", "9")).isEqualTo(Main.BAD_INPUT);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--brokers must be 1 to 5, not 9");
    }
}
