package dev.eventstore.schemas.personal;

import dev.eventstore.schemas.registry.EventCodec;
import dev.eventstore.schemas.registry.Utf8Strings;
import dev.eventstore.schemas.registry.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.SecretKey;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * An {@link EventCodec} that encrypts the personal fields of a payload (see {@link PersonalFields}) with
 * its data subject's key before encoding, and on decoding decrypts them, or erases them when the subject
 * was forgotten. Payloads without personal fields pass through untouched.
 *
 * <p>Without a key store, encoding a payload with personal fields is refused
 * ({@link InvalidPersonalFieldException}) and decoding returns the ciphertext as written, as any consumer
 * of the log sees it.
 */
public final class PersonalCodec {

    /** The first five characters of the base64 of any binary ciphertext (those of the 4-byte prefix's first 30 bits). */
    private static final String BINARY_PREFIX_BASE64 =
            Base64.getEncoder().encodeToString(FieldCipher.BINARY_PREFIX).substring(0, 5);

    private final EventCodec codec;
    private final DataKeyStore keys;

    /** @param keys the key store, or null for none */
    public PersonalCodec(EventCodec codec, DataKeyStore keys) {
        this.codec = codec;
        this.keys = keys;
    }

    public EventCodec codec() {
        return codec;
    }

    /**
     * The wire-format bytes of {@code record} with its personal fields encrypted for {@code subject}; the
     * caller's record is left as it was.
     *
     * @throws InvalidPersonalFieldException when a personal mark is on a type that cannot carry ciphertext, or there is no key store
     * @throws SubjectForgottenException when the subject was forgotten
     * @throws KeyStoreUnavailableException when the key store cannot be reached (retryable)
     */
    public byte[] encode(GenericContainer record, String subject) {
        Schema schema = record.getSchema();
        if (!PersonalFields.any(schema)) {
            return codec.encode(record);
        }
        return codec.encode(encrypted(record, subject));
    }

    /** A copy of {@code record} whose personal values are ciphertext (the record has personal fields). */
    GenericContainer encrypted(GenericContainer record, String subject) {
        Schema schema = record.getSchema();
        if (keys == null) {
            throw new InvalidPersonalFieldException(schema.getFullName() + " has personal fields and this client has no key"
                    + " store to encrypt them with");
        }
        SecretKey key = keys.keyFor(subject);
        GenericData data = record instanceof SpecificRecord ? SpecificData.get() : GenericData.get();
        Object copy = data.deepCopy(schema, record);
        PersonalFields.replace(schema, copy, "", (value, field, path) -> seal(key, value, subject, path), data);
        return (GenericContainer) copy;
    }

    private static Object seal(SecretKey key, Object value, String subject, String path) {
        if (value instanceof ByteBuffer bytes) {
            return FieldCipher.sealBinary(key, bytes, subject, path);
        }
        CharSequence text = (CharSequence) value;
        if (Utf8Strings.unpairedSurrogateAt(text) >= 0) {
            throw new IllegalArgumentException("personal field " + path + " holds an unpaired surrogate, which UTF-8 cannot carry");
        }
        return FieldCipher.sealText(key, text.toString(), subject, path);
    }

    /**
     * Whether a payload's JSON rendering ({@code AvroJson}, as the index keeps it) may hold ciphertext: a string
     * value starting with the text prefix, or the base64 of the binary prefix. A quick test before asking the
     * registry; it may say yes for a payload without personal fields, never no for one with ciphertext.
     */
    public static boolean mayHoldCiphertext(String json) {
        return json.contains("\"" + FieldCipher.TEXT_PREFIX) || json.contains("\"" + BINARY_PREFIX_BASE64);
    }

    /** The payload as written (the writer's schema), personal fields revealed. */
    public Revealed<GenericRecord> decode(byte[] framed, String subject) {
        Schema writer = codec.registry().schemaById(WireFormat.schemaId(framed));
        return decode(framed, subject, writer, () -> codec.decode(framed), bytes -> codec.decode(bytes));
    }

    /** The payload in a reader schema, personal fields revealed before the writer's schema is resolved to it. */
    public Revealed<GenericRecord> decode(byte[] framed, String subject, Schema readerSchema) {
        Schema writer = codec.registry().schemaById(WireFormat.schemaId(framed));
        return decode(framed, subject, writer, () -> codec.decode(framed, readerSchema), bytes -> codec.decode(bytes, readerSchema));
    }

    /** The payload as a generated class, personal fields revealed before the writer's schema is resolved to it. */
    public <T extends SpecificRecord> Revealed<T> decode(byte[] framed, String subject, Class<T> type) {
        Schema writer = codec.registry().schemaById(WireFormat.schemaId(framed));
        return decode(framed, subject, writer, () -> codec.decode(framed, type), bytes -> codec.decode(bytes, type));
    }

    private <T> Revealed<T> decode(byte[] framed, String subject, Schema writer, Supplier<T> plain, Function<byte[], T> resolve) {
        if (keys == null || !PersonalFields.any(writer)) {
            return new Revealed<>(plain.get(), List.of());
        }
        GenericRecord written = codec.decode(framed);
        List<String> erased = reveal(written, subject);
        // Decrypted values go back through the writer's schema, so schema resolution applies to them as to any field.
        return new Revealed<>(resolve.apply(reframe(framed, writer, written)), erased);
    }

    /**
     * Decrypts the personal fields of {@code record} in place, or erases them when the subject was forgotten.
     *
     * @return the paths of the erased fields
     * @throws TamperedCiphertextException when a value is not this store's ciphertext or does not authenticate
     * @throws UnknownSubjectException when the key store never held the subject's key
     */
    public List<String> reveal(GenericRecord record, String subject) {
        Optional<SecretKey> key = keys.existingKey(subject);
        Set<String> erased = new LinkedHashSet<>();
        PersonalFields.replace(record.getSchema(), record, "", (value, field, path) -> {
            if (key.isPresent()) {
                return value instanceof ByteBuffer bytes ? FieldCipher.openBinary(key.get(), bytes, subject, path)
                        : FieldCipher.openText(key.get(), (CharSequence) value, subject, path);
            }
            if (value instanceof ByteBuffer bytes) {
                FieldCipher.requireBinary(bytes, path);
            } else {
                FieldCipher.requireText((CharSequence) value, path);
            }
            erased.add(path);
            return erasedValue(field, value);
        }, GenericData.get());
        return new ArrayList<>(erased);
    }

    /** Null when the field is nullable, else its default, else empty of the value's kind. */
    private static Object erasedValue(Schema.Field field, Object value) {
        if (PersonalFields.nullable(field)) {
            return null;
        }
        if (field.hasDefaultValue()) {
            return GenericData.get().getDefaultValue(field);
        }
        return value instanceof ByteBuffer ? ByteBuffer.allocate(0) : "";
    }

    private static byte[] reframe(byte[] framed, Schema writer, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(framed.length);
        out.write(framed, 0, WireFormat.HEADER_SIZE);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
