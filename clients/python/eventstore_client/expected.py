"""What an append expects of its stream's version."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ExpectedVersion:
    """Use ANY, NO_STREAM, STREAM_EXISTS or exact(n); ``kind`` and ``version`` are the wire form."""

    kind: str
    version: int = 0

    def __str__(self):
        return str(self.version) if self.kind == "EXACT" else self.kind.lower().replace("_", " ")


ANY = ExpectedVersion("ANY")
NO_STREAM = ExpectedVersion("NO_STREAM")
STREAM_EXISTS = ExpectedVersion("STREAM_EXISTS")


def exact(version):
    """The stream must be at ``version`` (0: the stream has no event)."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError("an exact expected version is an int of 0 or more, not %r" % (version,))
    return ExpectedVersion("EXACT", version)
