package dev.eventstore.launcher;

import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.StreamMetadata;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Sets a stream's retention through the gate. */
@Command(name = "set-stream-metadata", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE,
                Main.UNREACHABLE_LINE, Main.STREAM_DELETED_LINE},
        description = {"Set a stream's retention (replacing the earlier one; leave both out to remove it).",
                "Reads honour it at once; the index deletes the events it no longer keeps (max age: within a minute)."})
final class SetStreamMetadataCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, description = "stream id, e.g. Account-42")
    String stream;

    @Option(names = "--max-count", description = "keep at most this many latest events")
    Long maxCount;

    @Option(names = "--max-age", description = "keep events younger than this: 30d, 12h, 15m, 10s, or ISO-8601 (PT1H)")
    String maxAge;

    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() throws Exception {
        StreamMetadata metadata = StreamMetadata.none();
        if (maxCount != null) {
            metadata = metadata.maxCount(maxCount);
        }
        if (maxAge != null) {
            metadata = metadata.maxAge(parseDuration(maxAge));
        }
        try (AppendClient client = LifecycleClient.open(settings)) {
            client.setStreamMetadata(stream, metadata).get();
            System.out.println("set metadata of " + stream + ": max count " + (maxCount == null ? "none" : maxCount)
                    + ", max age " + metadata.maxAge().map(Duration::toString).orElse("none"));
        }
        return 0;
    }

    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 's' -> Duration.ofSeconds(amount);
                default -> throw new UsageException("--max-age '" + text + "' needs a unit: d, h, m or s (e.g. 30d)");
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new UsageException("--max-age '" + text + "' is not a duration such as 30d, 12h, 15m, 10s or PT1H");
        }
    }
}
