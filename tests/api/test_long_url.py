"""An over-long URL is refused by gunicorn before Django sees it: `tradeloop serve`'s worker answers in JSON too."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tradeloop.api.server import json_error

SCRIPT = str(Path(sys.executable).parent / "tradeloop")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raw_get(port: int, target: str) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        with contextlib.suppress(OSError):  # the server may have answered and closed already
            conn.shutdown(socket.SHUT_WR)
        data = b""
        with contextlib.suppress(ConnectionResetError):  # the server answers and closes before reading all we sent
            while chunk := conn.recv(65536):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(TRADELOOP_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tradeloop.settings")
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port), "--workers", "1", "--threads", "1"], env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if raw_get(port, "/api/v1/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "tradeloop serve did not answer"
            time.sleep(0.3)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


def test_an_over_long_url_gets_the_json_error(server):
    # Over gunicorn's 4094-byte request line, and small enough to be read in one go (so the server closes cleanly).
    status, headers, body = raw_get(server, "/api/v1/products?q=" + "a" * 5_000)
    assert status == 414
    assert headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert set(answer) == {"code", "message", "field"} and answer["code"] == "uri_too_long"
    status, headers, body = raw_get(server, "/api/v1/no/such/" + "b" * 3000)  # long, but within the limit: Django
    assert (status, json.loads(body)["code"]) == (404, "not_found")


def test_the_json_error_is_a_complete_http_answer():
    from gunicorn.http.errors import InvalidRequestLine

    head, _, body = json_error(InvalidRequestLine("GARBAGE")).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request")
    assert f"Content-Length: {len(body)}".encode() in head
    assert json.loads(body)["code"] == "bad_request"
