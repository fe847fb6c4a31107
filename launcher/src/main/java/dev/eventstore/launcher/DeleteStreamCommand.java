package dev.eventstore.launcher;

import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.StreamChangeResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Soft- or hard-deletes a stream through the gate. */
@Command(name = "delete-stream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_HEADING, exitCodeList = {Main.OK_LINE, Main.FAILED_LINE, Main.BAD_INPUT_LINE,
                Main.CONFLICT_LINE, Main.UNREACHABLE_LINE, "7:the stream is already deleted or tombstoned; nothing changed"},
        description = {"Delete a stream: reads of it fail (read exits with status 7), category and $all reads skip its events.",
                "Soft (default): an append expecting no stream or any version starts it again after its last version.",
                "--hard: a tombstone; the stream can never be written again.",
                "The events stay in the Kafka log (see the README, \"Deleting and forgetting\")."})
final class DeleteStreamCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, description = "stream id, e.g. Account-42")
    String stream;

    @Option(names = "--expected", required = true, description = "any | exists | N: the version the stream must be at")
    String expected;

    @Option(names = "--hard", description = "tombstone: the stream id can never be written again")
    boolean hard;

    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() throws Exception {
        ExpectedVersion expectedVersion = ExpectedVersion.parse(expected);
        try (AppendClient client = LifecycleClient.open(settings)) {
            StreamChangeResult result = (hard ? client.tombstoneStream(stream, expectedVersion)
                    : client.deleteStream(stream, expectedVersion)).get();
            System.out.println((hard ? "tombstoned " : "deleted ") + stream + " at version " + result.version());
        }
        return 0;
    }
}
