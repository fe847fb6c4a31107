package dev.eventstore.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.AppendResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * docs/PROTOCOL.md is what clients in other languages follow: its schemas and partitioning examples
 * must be those of the code.
 */
class ProtocolDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "PROTOCOL.md");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PARTITION_ROW = Pattern.compile("^\\| `([^`]+)` \\| (-?\\d+) \\| (\\d+) \\| (\\d+) \\|$", Pattern.MULTILINE);

    @Test
    void theDocumentsRequestAndResultSchemasAreThoseOfTheCode() throws IOException {
        List<Schema> documented = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(Files.readString(DOCUMENT));
        while (block.find()) {
            documented.add(new Schema.Parser().parse(block.group(1)));
        }

        assertThat(documented).containsExactly(withoutJavaStringType(AppendRequest.getClassSchema()),
                withoutJavaStringType(AppendResult.getClassSchema()));
    }

    /** The generated classes mark strings for Java ("avro.java.string"), a property no other language needs. */
    private static Schema withoutJavaStringType(Schema schema) {
        return new Schema.Parser().parse(schema.toString()
                .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"")
                .replace(",\"avro.java.string\":\"String\"", ""));
    }

    @Test
    void theDocumentsPartitioningExamplesAreWhereTheGateExpectsTheirStreams() throws IOException {
        Matcher row = PARTITION_ROW.matcher(Files.readString(DOCUMENT));
        int rows = 0;
        while (row.find()) {
            String stream = row.group(1);
            assertThat(AppendProtocol.partitionOf(stream, 4)).as(stream).isEqualTo(Integer.parseInt(row.group(3)));
            assertThat(AppendProtocol.partitionOf(stream, 12)).as(stream).isEqualTo(Integer.parseInt(row.group(4)));
            rows++;
        }

        assertThat(rows).isEqualTo(5);
    }
}
