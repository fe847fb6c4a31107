package dev.eventstore.schemas;

/**
 * Codes at the start of the error of an INVALID append result, for refusals a client maps to their own
 * exception type: the error reads {@code <code>: <reason>}. An error without a known code is a plain
 * malformed append. A code in the text, not a new field or outcome, so that the result's schema, and
 * every client reading it, stay as they are.
 */
public final class AppendRefusals {

    /** The append's request id was applied to another append (another stream, other events or another expected version). */
    public static final String REQUEST_ID_REUSED = "request-id-reused";

    private AppendRefusals() {}

    public static String requestIdReused(String reason) {
        return REQUEST_ID_REUSED + ": " + reason;
    }

    public static boolean isRequestIdReused(String error) {
        return error != null && error.startsWith(REQUEST_ID_REUSED + ": ");
    }

    /** The reason of a coded error, without its code. */
    public static String reason(String error) {
        int colon = error.indexOf(": ");
        return colon < 0 ? error : error.substring(colon + 2);
    }
}
