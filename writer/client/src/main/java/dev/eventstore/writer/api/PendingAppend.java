package dev.eventstore.writer.api;

import dev.eventstore.schemas.AppendRefusals;
import dev.eventstore.schemas.store.AppendOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/** An append sent and not yet answered: what is needed to complete its future from a result. */
final class PendingAppend {

    final String streamId;
    final ExpectedVersion expected;
    final String requestId;
    final AppendOptions options;
    final Duration timeout;
    final CompletableFuture<AppendResult> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timer;
    /** The version a truncation named, for its out-of-range refusal; 0 for anything else. */
    volatile long truncateBefore;
    /** Runs when the outcome becomes unknown, before the future fails: the client remembers the id's append. */
    volatile Runnable onOutcomeUnknown;

    /** @param requestId the request id this call sends: the options' key, or a fresh one */
    PendingAppend(String streamId, ExpectedVersion expected, AppendOptions options, String requestId, Duration timeout) {
        this.streamId = streamId;
        this.expected = expected;
        this.options = options;
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
            case INVALID -> future.completeExceptionally(refusal(result.getError()));
            // A misrouted or unsupported request is refused like an invalid one: retrying it unchanged cannot help.
            case MISROUTED, UNSUPPORTED_VERSION -> future.completeExceptionally(new InvalidAppendException(
                    "append to " + streamId + " refused by the gate (" + outcome + "): " + result.getError()));
            case STREAM_DELETED, STREAM_TOMBSTONED -> future.completeExceptionally(new StreamDeletedException(streamId,
                    outcome == AppendOutcome.STREAM_TOMBSTONED, result.getActualVersion()));
            case VERSION_OUT_OF_RANGE ->
                    future.completeExceptionally(new VersionOutOfRangeException(streamId, truncateBefore, result.getActualVersion()));
        }
    }

    private InvalidAppendException refusal(String error) {
        if (AppendRefusals.isRequestIdReused(error)) {
            return new RequestIdReusedException(requestId, "append to " + streamId + " refused by the gate: request id "
                    + requestId + " " + AppendRefusals.reason(error)
                    + "; nothing of this append was written");
        }
        return new InvalidAppendException("append to " + streamId + " refused by the gate: " + error);
    }

    /**
     * Refused before sending: its request id names another append of this client, in flight or with an
     * unknown outcome ({@code why} says which).
     */
    void failReused(String why) {
        fail(new RequestIdReusedException(requestId, "append to " + streamId + " refused: request id " + requestId + " "
                + why + "; nothing was sent. A request id names one append: retry that one with its own events"
                + " (wait for its future if it is in flight), give this one a new id"));
    }

    void fail(Throwable error) {
        cancelTimer();
        future.completeExceptionally(error);
    }

    /** Fails the future on {@code completions}, the outcome unknown, once the client remembers the request id's append. */
    void outcomeUnknown(String why, Executor completions) {
        Runnable remember = onOutcomeUnknown;
        if (remember != null) {
            // Now, on the thread that stopped expecting the result, not later with the future: the id stays taken
            // from the moment it is no longer in flight, and a caller woken by the future may reuse it at once.
            remember.run();
        }
        AppendOutcomeUnknownException unknown = new AppendOutcomeUnknownException(streamId, options, requestId, timeout, why);
        completions.execute(() -> fail(unknown));
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
