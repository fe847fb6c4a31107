package dev.eventstore.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void aFramedPayloadIsMagicZeroTheBigEndianSchemaIdAndTheAvroBytes() {
        byte[] framed = WireFormat.frame(0x01020304, new byte[] {9, 8});

        assertThat(framed).containsExactly(0, 1, 2, 3, 4, 9, 8);
        assertThat(WireFormat.schemaId(framed)).isEqualTo(0x01020304);
        assertThat(WireFormat.avro(framed)).containsExactly(9, 8);
    }

    @Test
    void bytesWithoutTheHeaderAreRefusedAsMalformed() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 1})).isInstanceOf(MalformedPayloadException.class);
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {1, 0, 0, 0, 1, 5}))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("magic byte");
    }
}
