package dev.eventstore.schemas.personal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventstore.example.bank.CustomerRegistered;
import dev.eventstore.schemas.registry.AvroJson;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalFieldsTest {

    /** Personal values at every depth supported: a field, a nested record, records in an array, a map and a union. */
    private static final Schema NESTED = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "namespace": "t", "fields": [
              {"name": "id", "type": "string"},
              {"name": "buyer", "type": "string", "personal": true},
              {"name": "note", "type": ["null", "string", "bytes"], "default": null, "personal": true},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "street", "type": "string", "personal": true},
                {"name": "city", "type": "string"}]}},
              {"name": "contacts", "type": {"type": "array", "items": {"type": "record", "name": "Contact", "fields": [
                {"name": "phone", "type": "string", "default": "unknown", "personal": true}]}}},
              {"name": "byRole", "type": {"type": "map", "values": "t.Contact"}},
              {"name": "billing", "type": ["null", "t.Address"], "default": null},
              {"name": "extra", "type": "string", "personal": false}
            ]}""");

    private final MemoryKeyStore keys = new MemoryKeyStore();
    private final PersonalCodec codec = new PersonalCodec(null, keys);

    @Test
    void aSchemaWithoutMarksHasNoPersonalFields() {
        assertThat(PersonalFields.any(dev.eventstore.example.bank.AccountOpened.getClassSchema())).isFalse();
        assertThat(PersonalFields.any(NESTED)).isTrue();
        assertThat(PersonalFields.any(CustomerRegistered.getClassSchema())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"int\"", "{\"type\": \"array\", \"items\": \"string\"}", "[\"null\", \"long\"]",
            "[\"string\", \"int\"]", "{\"type\": \"string\", \"logicalType\": \"uuid\"}", "\"null\""})
    void aPersonalMarkOnATypeThatCannotCarryCiphertextIsRefusedNamingTheAllowedTypes(String type) {
        Schema schema = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Bad\", \"fields\": [{\"name\": \"secret\", \"type\": "
                + type + ", \"personal\": true}]}");

        assertThatThrownBy(() -> PersonalFields.any(schema)).isInstanceOf(InvalidPersonalFieldException.class)
                .hasMessageContaining("field secret of Bad").hasMessageContaining(PersonalFields.ALLOWED);
    }

    @Test
    void aMarkThatIsNotABooleanIsRefused() {
        Schema schema = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Odd\", \"fields\": ["
                + "{\"name\": \"secret\", \"type\": \"string\", \"personal\": \"yes\"}]}");

        assertThatThrownBy(() -> PersonalFields.any(schema)).isInstanceOf(InvalidPersonalFieldException.class)
                .hasMessageContaining("true or false");
    }

    @Test
    void everyPersonalValueAtEveryDepthIsEncryptedInACopyAndRevealedBack() {
        GenericRecord order = order();
        String before = order.toString();

        GenericRecord encrypted = (GenericRecord) codec.encrypted(order, "customer-7");

        assertThat(order.toString()).isEqualTo(before); // the caller's record is left alone
        String text = encrypted.toString();
        for (String clear : List.of("Ada", "ring twice", "Main Street 1", "555-0100", "555-0199", "Side Street 9")) {
            assertThat(text).doesNotContain(clear);
        }
        assertThat(text).contains("Utrecht", "o-1", "not personal");
        assertThat(codec.reveal(encrypted, "customer-7")).isEmpty();
        assertThat(encrypted.toString()).isEqualTo(before);
    }

    @Test
    void aForgottenSubjectsValuesAreErasedToNullDefaultOrEmptyAndNamed() {
        GenericRecord encrypted = (GenericRecord) codec.encrypted(order(), "customer-7");
        keys.forget("customer-7");

        List<String> erased = codec.reveal(encrypted, "customer-7");

        assertThat(erased).containsExactly("buyer", "note", "address.street", "contacts.phone", "byRole.phone", "billing.street");
        assertThat(encrypted.get("buyer")).isEqualTo("");
        assertThat(encrypted.get("note")).isNull();
        assertThat(((GenericRecord) encrypted.get("address")).get("street")).isEqualTo("");
        assertThat(((GenericRecord) ((List<?>) encrypted.get("contacts")).get(0)).get("phone").toString()).isEqualTo("unknown");
        assertThat(((GenericRecord) encrypted.get("address")).get("city").toString()).isEqualTo("Utrecht");
    }

    @Test
    void bytesInANullableUnionStayBytes() {
        GenericRecord order = order();
        order.put("note", ByteBuffer.wrap(new byte[] {9, 8, 7}));

        GenericRecord encrypted = (GenericRecord) codec.encrypted(order, "s");

        assertThat(encrypted.get("note")).isInstanceOf(ByteBuffer.class).isNotEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7}));
        codec.reveal(encrypted, "s");
        assertThat(encrypted.get("note")).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7}));
    }

    @Test
    void aGeneratedRecordIsEncryptedIntoAGeneratedCopy() {
        CustomerRegistered customer = new CustomerRegistered("7", "Ada", "ada@example.org", ByteBuffer.wrap(new byte[] {1}), "NL");

        Object encrypted = codec.encrypted(customer, "Customer-7");

        assertThat(encrypted).isInstanceOf(CustomerRegistered.class);
        assertThat(((CustomerRegistered) encrypted).getName()).startsWith(FieldCipher.TEXT_PREFIX);
        assertThat(customer.getName()).isEqualTo("Ada");
    }

    @Test
    void theJsonOfAnEncryptedRecordAsTheIndexKeepsItIsKnownToHoldCiphertextEvenWithOnlyBytes() {
        Schema photoOnly = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Photo\", \"fields\": ["
                + "{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"photo\", \"type\": \"bytes\", \"personal\": true}]}");
        GenericRecord photo = new GenericData.Record(photoOnly);
        photo.put("id", "p-1");
        photo.put("photo", ByteBuffer.wrap(new byte[] {1, 2, 3}));

        String plainJson = AvroJson.toJson(photo, photoOnly).toString();
        String encryptedJson = AvroJson.toJson(codec.encrypted(photo, "s"), photoOnly).toString();
        String encryptedOrder = AvroJson.toJson(codec.encrypted(order(), "s"), NESTED).toString();

        assertThat(PersonalCodec.mayHoldCiphertext(plainJson)).isFalse();
        assertThat(PersonalCodec.mayHoldCiphertext(encryptedJson)).isTrue();
        assertThat(PersonalCodec.mayHoldCiphertext(encryptedOrder)).isTrue();
    }

    @Test
    void withoutAKeyStoreAPersonalRecordIsRefused() {
        assertThatThrownBy(() -> new PersonalCodec(null, null).encrypted(order(), "s"))
                .isInstanceOf(InvalidPersonalFieldException.class).hasMessageContaining("no key store");
    }

    @Test
    void revealingForASubjectTheKeyStoreNeverKnewIsAnErrorNotAnErasure() {
        GenericRecord encrypted = (GenericRecord) codec.encrypted(order(), "customer-7");

        assertThatThrownBy(() -> codec.reveal(encrypted, "customer-8")).isInstanceOf(UnknownSubjectException.class);
    }

    private static GenericRecord order() {
        Schema address = NESTED.getField("address").schema();
        Schema contact = NESTED.getField("contacts").schema().getElementType();
        GenericRecord home = new GenericData.Record(address);
        home.put("street", "Main Street 1");
        home.put("city", "Utrecht");
        GenericRecord billing = new GenericData.Record(address);
        billing.put("street", "Side Street 9");
        billing.put("city", "Utrecht");
        GenericRecord phone = new GenericData.Record(contact);
        phone.put("phone", "555-0100");
        GenericRecord other = new GenericData.Record(contact);
        other.put("phone", "555-0199");
        Map<String, Object> byRole = new HashMap<>();
        byRole.put("owner", other);
        GenericRecord order = new GenericData.Record(NESTED);
        order.put("id", "o-1");
        order.put("buyer", "Ada");
        order.put("note", "ring twice");
        order.put("address", home);
        order.put("contacts", new ArrayList<>(List.of(phone)));
        order.put("byRole", byRole);
        order.put("billing", billing);
        order.put("extra", "not personal");
        return order;
    }
}
