package dev.eventstore.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventstore.schemas.store.AppendRequest;
import dev.eventstore.schemas.store.StreamAppend;
import dev.eventstore.schemas.store.StreamState;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Records written by an earlier gate or client, before the lifecycle or the trace fields, still decode with their defaults. */
class StoreSchemaHistoryTest {

    private static Schema firstVersionOf(Schema current) {
        return StoreSchemaHistory.earlierVersionsOf(current).get(0);
    }

    private static byte[] encode(GenericRecord record) throws Exception {
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema()).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void aStreamStateOfTheFirstSchemaDecodesAsALiveStreamWithoutRetention() throws Exception {
        GenericRecord old = new GenericData.Record(firstVersionOf(StreamState.getClassSchema()));
        old.put("version", 7L);
        old.put("updatedAt", 1_700_000_000_000L);

        StreamState state = StoreRecordSerde.<StreamState>of(StreamState.getClassSchema()).decode(encode(old));

        assertThat(state.getVersion()).isEqualTo(7);
        assertThat(state.getDeleted()).isFalse();
        assertThat(state.getTombstoned()).isFalse();
        assertThat(state.getTruncatedBefore()).isZero();
        assertThat(state.getMaxCount()).isNull();
    }

    @Test
    void anAppendRequestOfTheFirstSchemaDecodesAsAnAppendWithoutAChange() throws Exception {
        AppendRequest decoded = decodeRequestOf(firstVersionOf(AppendRequest.getClassSchema()), "Account-1", 3);

        StreamAppend only = decoded.getAppends().get(0);
        assertThat(only.getStreamId()).isEqualTo("Account-1");
        assertThat(only.getChange()).isNull();
        assertThat(decoded.getReplyPartition()).isEqualTo(3);
    }

    @Test
    void anAppendRequestOfTheSecondSchemaDecodesAsAnUntracedAppend() throws Exception {
        Schema second = StoreSchemaHistory.earlierVersionsOf(AppendRequest.getClassSchema()).get(1);
        assertThat(second.getField("appends").schema().getElementType().getField("traceParent")).isNull();

        StreamAppend only = decodeRequestOf(second, "Account-2", 0).getAppends().get(0);

        assertThat(only.getStreamId()).isEqualTo("Account-2");
        assertThat(only.getTraceParent()).isNull();
        assertThat(only.getTraceState()).isNull();
    }

    /** A request of an earlier schema with one append to {@code stream}, encoded and decoded as the current one. */
    private static AppendRequest decodeRequestOf(Schema oldRequest, String stream, int replyPartition) throws Exception {
        Schema oldAppend = oldRequest.getField("appends").schema().getElementType();
        GenericRecord append = new GenericData.Record(oldAppend);
        append.put("requestId", "r-1");
        append.put("streamId", stream);
        append.put("expectedKind", new GenericData.EnumSymbol(oldAppend.getField("expectedKind").schema(), "ANY"));
        append.put("expectedVersion", 0L);
        append.put("events", List.of());
        GenericRecord request = new GenericData.Record(oldRequest);
        if (oldRequest.getField("protocolVersion") != null) {
            request.put("protocolVersion", 1);
        }
        request.put("replyPartition", replyPartition);
        request.put("sentAt", 1_700_000_000_000L);
        request.put("appends", List.of(append));
        return StoreRecordSerde.<AppendRequest>of(AppendRequest.getClassSchema()).decode(encode(request));
    }
}
