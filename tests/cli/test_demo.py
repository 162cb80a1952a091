"""`tradeloop demo` end to end: it migrates, loads the demo data, serves it, and Ctrl-C leaves nothing behind.

Runs the real command as a subprocess with its own data folder (SQLite, SQLite broker), twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).parent / "tradeloop")
START_TIMEOUT = 90
STOP_TIMEOUT = 15
DEMO_TITLES = {"Yantai Fuji apples", "Sunshine Rose grapes", "Giant Escape 2 city bike, size M"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as failed:
        return failed.code, ""


def processes_started_for(data_dir: Path) -> set[int]:
    """Every live process whose environment names this data folder: the demo and all it started."""
    marker = f"TRADELOOP_DATA_DIR={data_dir}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.add(int(entry.name))
        except OSError:
            continue
    return found


class Demo:
    def __init__(self, data_dir: Path):
        self.data_dir, self.port = data_dir, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "TRADELOOP_TEST_DB_NAME"}}
        env.update(TRADELOOP_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="tradeloop.settings")
        self.log = (data_dir.parent / f"demo-{self.port}.log").open("w+")
        self.process = subprocess.Popen(
            [SCRIPT, "demo", "--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the test can clean up if the demo itself fails to
        )

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()[-4000:]

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if get(self.base + "/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"the demo did not answer within {START_TIMEOUT}s:\n{self.output()}")

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=STOP_TIMEOUT)

    def kill_leftovers(self) -> None:
        for pid in processes_started_for(self.data_dir):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.log.close()


def demo_product_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "tradeloop.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM catalog_product").fetchone()[0]


def api_titles(demo: Demo) -> set[str]:
    status, body = get(demo.base + "/api/v1/products?limit=100")
    assert status == 200, body[:500]
    return {item["title"] for item in json.loads(body)["items"]}


def run_demo_once(data_dir: Path) -> tuple[str, set[str]]:
    demo = Demo(data_dir)
    try:
        demo.wait_until_serving()
        home = get(demo.base + "/")[1]
        titles = api_titles(demo)
        children = processes_started_for(data_dir) - {demo.process.pid}
        assert len(children) >= 3, "expected the web server, its workers and the Celery worker"
        assert get(demo.base + "/admin/login/")[0] == 200
        assert demo.interrupt() == 0, demo.output()
        deadline = time.monotonic() + 3
        while processes_started_for(data_dir) and time.monotonic() < deadline:
            time.sleep(0.1)  # orphans, if any, would still be there after this
        assert not processes_started_for(data_dir), f"left behind: {processes_started_for(data_dir)}"
        return home, titles
    finally:
        if demo.process.poll() is None:
            os.killpg(demo.process.pid, signal.SIGKILL)
        demo.kill_leftovers()


def test_demo_serves_the_demo_data_stops_cleanly_and_reuses_it(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    home, titles = run_demo_once(data_dir)
    assert titles >= DEMO_TITLES
    assert any(title in home for title in DEMO_TITLES), "the home page shows no demo product"
    first_count = demo_product_count(data_dir)
    assert 30 <= first_count <= 50

    _, titles_again = run_demo_once(data_dir)
    assert titles_again == titles
    assert demo_product_count(data_dir) == first_count
