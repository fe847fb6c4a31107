package dev.eventstore.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What the roles ({@code gate}, {@code indexer}) share on the command line: the settings file, the settings
 * every role reads and the exit statuses of a long-running process (shown in each role's help).
 */
@Command(footerHeading = "%nSettings of every role:%n",
        footer = "kafka.bootstrap.servers, kafka.* (passed to the Kafka clients without the prefix), topic.prefix (es),"
                + " metrics.port (-1: none, 0: any free port), startup.timeout.seconds (60: how long to wait for each server"
                + " at start).",
        exitCodeListHeading = Main.EXIT_HEADING,
        exitCodeList = {Main.FAILED_ROLE_LINE, Main.BAD_INPUT_LINE, Main.UNREACHABLE_ROLE_LINE, Main.SIGTERM_LINE})
final class RoleOptions {

    @Mixin
    SettingsOption settingsOption;

    StoreSettings settings() {
        return settingsOption.settings();
    }

    /** Runs the role until SIGTERM or its failure (see {@link RoleRunner#run}). */
    int run(String role, int defaultMetricsPort, Function<MeterRegistry, RoleRunner.Running> start) throws InterruptedException {
        return RoleRunner.run(role, settings(), defaultMetricsPort, start);
    }
}
