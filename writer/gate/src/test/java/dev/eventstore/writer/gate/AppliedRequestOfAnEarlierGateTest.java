package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.AppendFingerprint;
import dev.eventstore.schemas.StoreRecordSerde;
import dev.eventstore.schemas.store.AppendOutcome;
import dev.eventstore.schemas.store.AppliedRequest;
import dev.eventstore.schemas.store.ExpectedVersionKind;
import dev.eventstore.schemas.store.StreamAppend;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Entries a gate wrote before fingerprints (AppliedRequest-1.avsc) stay readable and keep answering retries. */
class AppliedRequestOfAnEarlierGateTest {

    private static final Schema EARLIER = StoreRecordSerde.earlierSchema("AppliedRequest-1.avsc");

    @Test
    void anEntryWithoutFingerprintIsReadAndComparedByItsStreamAlone() throws Exception {
        byte[] written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), EARLIER).encode(entry("Account-1")).array();

        AppliedRequest read = GateTopology.appliedRequests().decode(written);

        assertThat(read.getFingerprint()).isNull();
        assertThat(read.getOriginalResult().getStreamId()).isEqualTo("Account-1");
        assertThat(read.getOriginalResult().getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(read.getOriginalResult().getLastVersion()).isEqualTo(3);
        StreamAppend sameStream = GateTopologyTest.append("Account-1", ExpectedVersionKind.ANY, 0, "MoneyDeposited");
        StreamAppend otherStream = GateTopologyTest.append("Account-2", ExpectedVersionKind.ANY, 0, "MoneyDeposited");
        assertThat(RequestIdReuse.of(read, sameStream, new AppendFingerprint().of(sameStream))).isEmpty();
        assertThat(RequestIdReuse.of(read, otherStream, new AppendFingerprint().of(otherStream)))
                .hasValue("was used for an append to stream Account-1, not Account-2");
    }

    @Test
    void theEarlierSchemaIsTheOneTheGateWroteBeforeFingerprints() {
        // The fingerprint of the parsing canonical form is what single-object encoding looks records up by. This is the
        // one of AppliedRequest as the gate wrote it until 2026-12-03 (main at 69b3c0f: no fingerprint, three outcomes),
        // computed then from its generated class; the history file must keep it whatever the current schema becomes.
        assertThat(org.apache.avro.SchemaNormalization.parsingFingerprint64(EARLIER)).isEqualTo(7289239660443433001L);
    }

    private static GenericRecord entry(String streamId) {
        Schema resultSchema = EARLIER.getField("originalResult").schema();
        GenericRecord result = new GenericData.Record(resultSchema);
        result.put("requestId", "request-1");
        result.put("streamId", streamId);
        result.put("outcome", new GenericData.EnumSymbol(resultSchema.getField("outcome").schema(), "APPENDED"));
        result.put("firstVersion", 3L);
        result.put("lastVersion", 3L);
        result.put("actualVersion", 2L);
        result.put("error", null);
        result.put("duplicate", false);
        GenericRecord entry = new GenericData.Record(EARLIER);
        entry.put("originalResult", result);
        entry.put("appliedAt", 1_700_000_000_000L);
        return entry;
    }
}
