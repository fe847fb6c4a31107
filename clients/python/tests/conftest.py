"""The embedded store for the tests: ./eventstore local with a data directory and a connection file
of its own, started once per test session and stopped at its end."""

import os
import pathlib
import subprocess
import tempfile
import uuid

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
START_TIMEOUT_S = 900  # ./eventstore builds the project first when its sources changed


@pytest.fixture(scope="session")
def store():
    """The store's addresses (kafka.bootstrap.servers, schema.registry.url, ...) as a dict."""
    with tempfile.TemporaryDirectory(prefix="eventstore-pytest-") as tmp:
        connection = os.path.join(tmp, "local.properties")
        log_path = os.path.join(tmp, "local.log")
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [str(REPO / "eventstore"), "local", "--data-dir", os.path.join(tmp, "data"), "--connection", connection],
                cwd=REPO, stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            addresses = _await_ready(process, log_path)
            yield addresses
        finally:
            process.terminate()
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _await_ready(process, log_path):
    addresses = {}
    timer = _Watchdog(process, START_TIMEOUT_S)
    try:
        for line in process.stdout:
            line = line.strip()
            if line == "ready":
                return addresses
            if "=" in line:
                key, value = line.split("=", 1)
                addresses[key] = value
    finally:
        timer.cancel()
    with open(log_path) as log:
        tail = log.read()[-4000:]
    raise RuntimeError("./eventstore local exited (code %s) before printing ready:\n%s" % (process.poll(), tail))


class _Watchdog:
    """Kills the process if it is not ready in time, so that a hung start fails instead of hanging CI."""

    def __init__(self, process, seconds):
        import threading
        self._timer = threading.Timer(seconds, process.kill)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self):
        self._timer.cancel()


@pytest.fixture(scope="session")
def client(store):
    from eventstore_client import AppendClient
    with AppendClient(store["kafka.bootstrap.servers"], store["schema.registry.url"]) as client:
        yield client


@pytest.fixture
def stream_id():
    return "PyAccount-" + uuid.uuid4().hex[:12]
