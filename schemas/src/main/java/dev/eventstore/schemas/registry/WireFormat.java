package dev.eventstore.schemas.registry;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The schema-registry wire format shared by Confluent's, Apicurio's and every compatible serializer:
 * magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary encoding.
 */
public final class WireFormat {

    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    public static byte[] frame(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(HEADER_SIZE + avro.length).put(MAGIC).putInt(schemaId).put(avro).array();
    }

    /** The schema id of a framed payload; throws {@link MalformedPayloadException} when it is not framed. */
    public static int schemaId(byte[] framed) {
        requireFramed(framed);
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    public static byte[] avro(byte[] framed) {
        requireFramed(framed);
        return Arrays.copyOfRange(framed, HEADER_SIZE, framed.length);
    }

    private static void requireFramed(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_SIZE) {
            throw new MalformedPayloadException("payload shorter than the 5-byte wire-format header");
        }
        if (bytes[0] != MAGIC) {
            throw new MalformedPayloadException("payload does not start with the wire-format magic byte 0 but " + bytes[0]);
        }
    }
}
