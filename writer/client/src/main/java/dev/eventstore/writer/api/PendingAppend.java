package dev.eventstore.writer.api;

import dev.eventstore.schemas.store.AppendOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** An append sent and not yet answered: what is needed to complete its future from a result. */
final class PendingAppend {

    final String streamId;
    final ExpectedVersion expected;
    final String requestId;
    final Duration timeout;
    final CompletableFuture<AppendResult> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timer;
    /** The version a truncation named, for its out-of-range refusal; 0 for anything else. */
    volatile long truncateBefore;

    PendingAppend(String streamId, ExpectedVersion expected, String requestId, Duration timeout) {
        this.streamId = streamId;
        this.expected = expected;
        this.requestId = requestId;
        this.timeout = timeout;
    }

    void complete(dev.eventstore.schemas.store.AppendResult result) {
        cancelTimer();
        AppendOutcome outcome = result.getOutcome();
        switch (outcome) {
            case APPENDED -> future.complete(new AppendResult(result.getStreamId(), result.getFirstVersion(),
                    result.getLastVersion(), result.getRequestId(), result.getDuplicate()));
            case WRONG_EXPECTED_VERSION ->
                    future.completeExceptionally(new WrongExpectedVersionException(streamId, expected, result.getActualVersion()));
            // A misrouted or unsupported request is refused like an invalid one: retrying it unchanged cannot help.
            case INVALID, MISROUTED, UNSUPPORTED_VERSION -> future.completeExceptionally(new InvalidAppendException(
                    "append to " + streamId + " refused by the gate (" + outcome + "): " + result.getError()));
            case STREAM_DELETED, STREAM_TOMBSTONED -> future.completeExceptionally(new StreamDeletedException(streamId,
                    outcome == AppendOutcome.STREAM_TOMBSTONED, result.getActualVersion()));
            case VERSION_OUT_OF_RANGE ->
                    future.completeExceptionally(new VersionOutOfRangeException(streamId, truncateBefore, result.getActualVersion()));
        }
    }

    void fail(Throwable error) {
        cancelTimer();
        future.completeExceptionally(error);
    }

    void outcomeUnknown(String why) {
        fail(new AppendTimeoutException(streamId, requestId, timeout, why));
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
