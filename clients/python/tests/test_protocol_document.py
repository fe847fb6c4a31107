"""The client follows docs/PROTOCOL.md: its schemas are the document's, character for character."""

import json
import pathlib
import re

from eventstore_client import schemas

DOCUMENT = pathlib.Path(__file__).resolve().parents[3] / "docs" / "PROTOCOL.md"


def test_the_clients_request_and_result_schemas_are_the_documents():
    blocks = re.findall(r"```json\n(.*?)```", DOCUMENT.read_text(encoding="utf-8"), re.S)

    assert [json.loads(block) for block in blocks] == [json.loads(schemas.APPEND_REQUEST_SCHEMA),
                                                       json.loads(schemas.APPEND_RESULT_SCHEMA)]


def test_the_client_sends_the_documents_protocol_version():
    assert "(version %d)" % schemas.PROTOCOL_VERSION in DOCUMENT.read_text(encoding="utf-8").splitlines()[0]
