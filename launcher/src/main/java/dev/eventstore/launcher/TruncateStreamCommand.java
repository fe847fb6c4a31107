package dev.eventstore.launcher;

import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.StreamChangeResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Truncates a stream through the gate. */
@Command(name = "truncate-stream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE,
                "2:bad input, or --before beyond the stream's version + 1", Main.UNREACHABLE_LINE, Main.STREAM_DELETED_LINE},
        description = "Truncate a stream: reads start at --before, the index drops the events before it (the log keeps them).")
final class TruncateStreamCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, description = "stream id, e.g. Account-42")
    String stream;

    @Option(names = "--before", required = true, description = "the first version that stays readable (at most the version + 1)")
    long before;

    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() throws Exception {
        try (AppendClient client = LifecycleClient.open(settings)) {
            StreamChangeResult result = client.truncateStream(stream, before).get();
            System.out.println("truncated " + stream + " before version " + before + " (stream version " + result.version() + ")");
        }
        return 0;
    }
}
