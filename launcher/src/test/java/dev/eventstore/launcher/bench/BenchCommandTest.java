package dev.eventstore.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void anUnknownWorkloadInOnlyIsRefusedBeforeAnythingStarts() {
        StringWriter errors = new StringWriter();
        CommandLine command = new CommandLine(new BenchCommand()).setErr(new PrintWriter(errors));

        int exit = command.execute("--only", "W3,W9");

        assertThat(exit).isEqualTo(2);
        assertThat(errors.toString()).contains("--only takes some of [W2, W3, W4, W5, index, latency], not [W3, W9]");
    }
}
