// The Java side of the cross-language race (test_race.py): run as a single-file program on the
// launcher's classpath, java -cp "launcher/target/launcher.jar:launcher/target/lib/*" RaceWriter.java
// BOOTSTRAP REGISTRY_URL STREAM VERSIONS. Warms up (one append to a stream of its own, so the schema is
// registered and the producer and reply consumer are up before the race: a cold first append took long
// enough for the Python writer to win all 60 versions), prints "ready", waits for "go" on stdin, then appends to the
// stream with exact expected versions until it reaches VERSIONS, printing "won N" for each version it
// got, then "done".
import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;
import dev.eventstore.writer.api.AppendResult;
import dev.eventstore.writer.api.ExpectedVersion;
import dev.eventstore.writer.api.NewEvent;
import dev.eventstore.writer.api.WrongExpectedVersionException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

public class RaceWriter {

    static final int JITTER_MS = 30;

    static final Schema SCHEMA = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"RaceEvent\", \"namespace\": \"race\","
            + " \"fields\": [{\"name\": \"writer\", \"type\": \"string\"}, {\"name\": \"version\", \"type\": \"long\"}]}");

    public static void main(String[] args) throws Exception {
        String stream = args[2];
        long versions = Long.parseLong(args[3]);
        // The Python client's linger (2 ms), not the Java client's 5: with 3 ms more per attempt the Java writer lost all 60
        // versions in one CI run, and the test races two writers on equal terms.
        try (AppendClient client = AppendClient.create(AppendClientConfig.of(args[0], args[1]).withKafkaProperties(Map.of("linger.ms", 2)))) {
            client.append(stream + "-warm-up", ExpectedVersion.any(), List.of(NewEvent.of(raceEvent(0)).withType("RaceEvent"))).get();
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            long known = 0;
            while (known < versions) {
                Thread.sleep(ThreadLocalRandom.current().nextInt(JITTER_MS)); // see test_race.py's JITTER
                try {
                    AppendResult result = client.append(stream, ExpectedVersion.exactly(known),
                            List.of(NewEvent.of(raceEvent(known + 1)).withType("RaceEvent"))).get();
                    known = result.lastVersion();
                    System.out.println("won " + known);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof WrongExpectedVersionException conflict)) {
                        throw e;
                    }
                    known = conflict.actualVersion();
                    System.out.println("lost " + known);
                }
            }
            System.out.println("done");
        }
    }

    static GenericData.Record raceEvent(long version) {
        GenericData.Record event = new GenericData.Record(SCHEMA);
        event.put("writer", "java");
        event.put("version", version);
        return event;
    }
}
