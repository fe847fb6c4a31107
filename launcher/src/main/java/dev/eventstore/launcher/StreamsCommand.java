package dev.eventstore.launcher;

import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.StreamInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists streams with their versions, a page at a time. */
@Command(name = "streams", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE, Main.UNREACHABLE_LINE},
        description = "List streams and their versions, in stream id order.")
final class StreamsCommand implements Callable<Integer> {

    @Mixin
    SettingsOption settingsOption;

    @Option(names = "--category", description = "only streams of this category (e.g. Account)")
    String category;

    @Option(names = "--after", defaultValue = "", description = "start after this stream id (the last one of the previous page)")
    String after;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        StoreSettings settings = settingsOption.settings();
        ServerChecks.once(settings).postgres();
        try (EventReader reader = settings.eventReader()) {
            List<StreamInfo> streams = reader.listStreams(Optional.ofNullable(category), after, limit);
            System.out.printf("%-40s %10s  %-24s  %s%n", "STREAM", "VERSION", "FIRST EVENT", "LAST EVENT");
            streams.forEach(s -> System.out.printf("%-40s %10d  %-24s  %s%n", s.streamId(), s.version(), s.firstEventAt(), s.lastEventAt()));
            if (streams.size() == limit) {
                System.out.println("(more: --after " + streams.get(streams.size() - 1).streamId() + ")");
            }
        }
        return 0;
    }
}
