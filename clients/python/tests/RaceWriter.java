// The Java side of the cross-language race (test_race.py): run as a single-file program on the
// launcher's classpath, java -cp "launcher/target/launcher.jar:launcher/target/lib/*" RaceWriter.java
// BOOTSTRAP REGISTRY_URL STREAM VERSIONS. Prints "ready", waits for "go" on stdin, then appends to the
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
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

public class RaceWriter {

    static final Schema SCHEMA = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"RaceEvent\", \"namespace\": \"race\","
            + " \"fields\": [{\"name\": \"writer\", \"type\": \"string\"}, {\"name\": \"version\", \"type\": \"long\"}]}");

    public static void main(String[] args) throws Exception {
        String stream = args[2];
        long versions = Long.parseLong(args[3]);
        try (AppendClient client = AppendClient.create(AppendClientConfig.of(args[0], args[1]))) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            long known = 0;
            while (known < versions) {
                GenericData.Record event = new GenericData.Record(SCHEMA);
                event.put("writer", "java");
                event.put("version", known + 1);
                try {
                    AppendResult result = client.append(stream, ExpectedVersion.exactly(known),
                            List.of(NewEvent.of(event).withType("RaceEvent"))).get();
                    known = result.lastVersion();
                    System.out.println("won " + known);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof WrongExpectedVersionException conflict)) {
                        throw e;
                    }
                    known = conflict.actualVersion();
                }
            }
            System.out.println("done");
        }
    }
}
