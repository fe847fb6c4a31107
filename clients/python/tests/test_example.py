"""The example runs against the store as its docstring says."""

import pathlib
import subprocess
import sys

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "example.py"


def test_the_example_appends_pipelines_and_is_refused_for_a_stale_version(store):
    run = subprocess.run([sys.executable, str(EXAMPLE), store["connection.file"]], capture_output=True, text=True,
                         timeout=120, cwd=EXAMPLE.parent)

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].endswith("versions 1-1")
    assert lines[1:4] == ["appended at version 2", "appended at version 3", "appended at version 4"]
    assert lines[4].startswith("refused: Wrong expected version: 1 (Stream: Account-py-")
    assert lines[4].endswith("Stream Version: 4)")
