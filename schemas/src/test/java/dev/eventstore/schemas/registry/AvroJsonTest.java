package dev.eventstore.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.example.bank.AccountOpened;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    @Test
    void aGeneratedRecordRendersAsItsFields() throws Exception {
        AccountOpened opened = new AccountOpened("7", "Ann", "EUR");

        assertThat(AvroJson.toJson(opened, opened.getSchema()))
                .isEqualTo(JSON.readTree("{\"accountId\": \"7\", \"owner\": \"Ann\", \"currency\": \"EUR\"}"));
    }
}
