"""Fields an event schema marks personal (``"personal": true``), which docs/PROTOCOL.md says a client that does
not encrypt them must not write: this client does not encrypt, so it refuses such events before anything is sent
rather than put personal data in clear into a log that cannot be edited."""

import functools
import json


@functools.lru_cache(maxsize=256)
def personal_fields(schema):
    """The paths of the fields ``schema`` (Avro JSON text) marks personal, at any depth; empty when none."""
    found = []
    _walk(json.loads(schema), "", found, set())
    return tuple(found)


def _walk(schema, path, found, named):
    if isinstance(schema, list):  # a union
        for branch in schema:
            _walk(branch, path, found, named)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "record":
            name = schema.get("name")
            if name in named:  # a recursive record: its fields were walked already
                return
            named.add(name)
            for field in schema.get("fields", []):
                field_path = path + "." + field["name"] if path else field["name"]
                if field.get("personal") is True:
                    found.append(field_path)
                _walk(field["type"], field_path, found, named)
        elif kind == "array":
            _walk(schema.get("items"), path + "[]", found, named)
        elif kind == "map":
            _walk(schema.get("values"), path + "{}", found, named)
        elif isinstance(kind, (dict, list)):
            _walk(kind, path, found, named)
