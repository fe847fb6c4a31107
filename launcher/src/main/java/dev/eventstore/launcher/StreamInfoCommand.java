package dev.eventstore.launcher;

import dev.eventstore.reader.query.EventReader;
import dev.eventstore.reader.query.StreamInfo;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Shows what the index knows of one stream. */
@Command(name = "stream-info", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE, Main.UNREACHABLE_LINE, StreamInfoCommand.NO_STREAM_LINE},
        description = "Show a stream's version, when its first and last events were recorded, whether it is deleted,"
                + " where it is truncated and its retention.")
final class StreamInfoCommand implements Callable<Integer> {

    /** Exit status when the stream does not exist (has no indexed event). */
    static final int NO_STREAM = 6;
    static final String NO_STREAM_LINE = "6:the index has no such stream";

    @Mixin
    SettingsOption settingsOption;

    @Parameters(paramLabel = "STREAM", description = "the stream id, e.g. Account-42")
    String streamId;

    @Override
    public Integer call() {
        StoreSettings settings = settingsOption.settings();
        ServerChecks.once(settings).postgres();
        try (EventReader reader = settings.eventReader()) {
            Optional<StreamInfo> info = reader.streamInfo(streamId);
            if (info.isEmpty()) {
                System.err.println("no stream " + streamId + " in the index");
                return NO_STREAM;
            }
            System.out.println("stream: " + info.get().streamId());
            System.out.println("version: " + info.get().version());
            System.out.println("first.event.at: " + info.get().firstEventAt());
            System.out.println("last.event.at: " + info.get().lastEventAt());
            System.out.println("deleted: " + (info.get().tombstoned() ? "hard (tombstoned)" : info.get().deleted() ? "soft" : "no"));
            System.out.println("truncated.before: " + info.get().truncatedBefore());
            System.out.println("max.count: " + (info.get().maxCount().isPresent() ? info.get().maxCount().getAsLong() : "none"));
            System.out.println("max.age: " + info.get().maxAge().map(Object::toString).orElse("none"));
        }
        return 0;
    }
}
