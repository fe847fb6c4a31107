"""Typed failures of an append: each says whether retrying can help."""


class AppendError(Exception):
    """Base of every failure of an append."""

    def __init__(self, stream_id, message):
        super().__init__(message)
        self.stream_id = stream_id


class WrongExpectedVersion(AppendError):
    """Nothing was appended: the stream is not at the expected version. Read it and decide again."""

    def __init__(self, stream_id, expected, actual_version):
        super().__init__(stream_id, "Wrong expected version: %s (Stream: %s, Stream Version: %d)"
                         % (expected, stream_id, actual_version))
        self.expected = expected
        self.actual_version = actual_version


class InvalidAppend(AppendError):
    """Nothing was appended and sending the same append again cannot succeed.

    ``outcome`` is the gate's (INVALID, MISROUTED, UNSUPPORTED_VERSION) or None when refused before sending.
    """

    def __init__(self, stream_id, reason, outcome=None):
        super().__init__(stream_id, "append to %s refused%s: %s"
                         % (stream_id, "" if outcome is None else " by the gate (%s)" % outcome, reason))
        self.reason = reason
        self.outcome = outcome


class OutcomeUnknown(AppendError):
    """The append may or may not have been applied (no result in time, or the send failed late).

    Retrying with the same ``request_id`` is safe within the gate's dedup window (10 minutes by
    default): an applied append is answered with its original result and not appended again.
    """

    def __init__(self, stream_id, request_id, reason):
        super().__init__(stream_id, "outcome of append %s to %s unknown: %s; retry with the same request id"
                         % (request_id, stream_id, reason))
        self.request_id = request_id
        self.reason = reason
