"""A reference client of the event store's append protocol (docs/PROTOCOL.md), on confluent-kafka."""

from .client import AppendClient, AppendResult, Event, time_ordered_id
from .errors import AppendError, InvalidAppend, OutcomeUnknown, WrongExpectedVersion
from .expected import ANY, NO_STREAM, STREAM_EXISTS, ExpectedVersion, exact

__all__ = ["AppendClient", "AppendResult", "Event", "time_ordered_id", "AppendError", "InvalidAppend", "OutcomeUnknown",
           "WrongExpectedVersion", "ANY", "NO_STREAM", "STREAM_EXISTS", "ExpectedVersion", "exact"]
