package dev.eventstore.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.example.bank.AccountOpened;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads fractions exactly, as a reader of decimals must. */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Schema NOTE = new Schema.Parser().parse("""
            {"type": "record", "name": "Note", "namespace": "test", "fields": [
              {"name": "text", "type": "string"},
              {"name": "author", "type": ["null", "string"], "default": null},
              {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
              {"name": "priority", "type": {"type": "enum", "name": "Priority", "symbols": ["LOW", "HIGH"]}, "default": "LOW"},
              {"name": "score", "type": "double", "default": 0.0}
            ]}""");

    @Test
    void plainJsonBecomesARecordAndBackWithDefaultsFilledIn() throws Exception {
        GenericRecord record = AvroJson.toRecord(JSON.readTree("{\"text\": \"hi\", \"author\": \"ann\", \"tags\": [\"a\"]}"), NOTE);

        JsonNode back = AvroJson.toJson(record, NOTE);

        assertThat(back).isEqualTo(JSON.readTree(
                "{\"text\": \"hi\", \"author\": \"ann\", \"tags\": [\"a\"], \"priority\": \"LOW\", \"score\": 0.0}"));
    }

    @Test
    void aNullableFieldIsItsValueOrNullWithoutUnionWrapping() throws Exception {
        GenericRecord record = AvroJson.toRecord(JSON.readTree("{\"text\": \"hi\", \"author\": null}"), NOTE);

        assertThat(AvroJson.toJson(record, NOTE).get("author").isNull()).isTrue();
    }

    @Test
    void jsonThatDoesNotFitTheSchemaIsRefusedNamingTheField() {
        assertThatThrownBy(() -> AvroJson.toRecord(JSON.readTree("{\"author\": \"ann\"}"), NOTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing field 'Note.text' (no default)");
        assertThatThrownBy(() -> AvroJson.toRecord(JSON.readTree("{\"text\": 3}"), NOTE))
                .hasMessage("field 'Note.text' must be a string, got 3");
        assertThatThrownBy(() -> AvroJson.toRecord(JSON.readTree("{\"text\": \"x\", \"colour\": 1}"), NOTE))
                .hasMessage("unknown field 'Note.colour' for schema test.Note");
        assertThatThrownBy(() -> AvroJson.toRecord(JSON.readTree("{\"text\": \"x\", \"priority\": \"URGENT\"}"), NOTE))
                .hasMessage("field 'Note.priority' must be one of [LOW, HIGH], got \"URGENT\"");
    }

    private static final Schema VALUES = new Schema.Parser().parse("""
            {"type": "record", "name": "Values", "namespace": "test", "fields": [
              {"name": "raw", "type": "bytes"},
              {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "rate", "type": "double"},
              {"name": "ratio", "type": "float"}
            ]}""");

    @Test
    void everyValueRendersAsJsonThatJsonbAcceptsAndReadsBackTheSame() throws Exception {
        GenericData.Record values = new GenericData.Record(VALUES);
        values.put("raw", ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 0}));
        values.put("hash", new GenericData.Fixed(VALUES.getField("hash").schema(), new byte[] {0, 0, 1, 2}));
        values.put("amount", ByteBuffer.wrap(new BigDecimal("-12345.67").unscaledValue().toByteArray()));
        values.put("rate", Double.NaN);
        values.put("ratio", -0.0f);

        JsonNode json = AvroJson.toJson(values, VALUES);

        assertThat(json.toString()).isEqualTo(
                "{\"raw\":\"AP8A\",\"hash\":\"AAABAg==\",\"amount\":-12345.67,\"rate\":\"NaN\",\"ratio\":\"-0.0\"}");
        assertThat(AvroJson.toRecord(EXACT.readTree(json.toString()), VALUES)).isEqualTo(values);
        for (double special : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE}) {
            values.put("rate", special);
            assertThat(AvroJson.toRecord(EXACT.readTree(AvroJson.toJson(values, VALUES).toString()), VALUES).get("rate"))
                    .isEqualTo(special);
        }
    }

    @Test
    void aStringThatIsNotValidUtf8IsRefusedRatherThanRenderedWithReplacementCharacters() {
        Schema schema = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"S\", \"fields\": [{\"name\": \"s\", \"type\": \"string\"}]}");
        GenericData.Record record = new GenericData.Record(schema);
        record.put("s", new Utf8(new byte[] {'a', (byte) 0xC3, 'b'}));

        assertThatThrownBy(() -> AvroJson.toJson(record, schema)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a string holds bytes that are not valid UTF-8");
        record.put("s", new Utf8("a\uFFFDb")); // a genuine replacement character is text like any other
        assertThat(AvroJson.toJson(record, schema).get("s").asText()).isEqualTo("a\uFFFDb");
    }

    @Test
    void aStringWithAnUnpairedSurrogateCannotBeEncodedAndOneWithAPairCan() {
        assertThatThrownBy(() -> Utf8Strings.requireEncodable("ab\uD800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a string holds an unpaired UTF-16 surrogate U+D800 at index 2");
        Utf8Strings.requireEncodable("ab\uD83D\uDE00");
        assertThat(Utf8Strings.unpairedSurrogateAt("\uDE00\uD83D")).as("a pair in the wrong order").isZero();
    }

    @Test
    void aGeneratedRecordRendersAsItsFields() throws Exception {
        AccountOpened opened = new AccountOpened("7", "Ann", "EUR");

        assertThat(AvroJson.toJson(opened, opened.getSchema()))
                .isEqualTo(JSON.readTree("{\"accountId\": \"7\", \"owner\": \"Ann\", \"currency\": \"EUR\"}"));
    }
}
