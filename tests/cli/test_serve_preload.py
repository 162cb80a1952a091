"""`tradeloop serve` loads the app once, in gunicorn's master, and forks its workers from it: a fresh worker holds
almost nothing of its own (Django, every view module and jieba's dictionary are shared pages), and its first
request does not load them (the first order that indexed a Chinese title used to stall 13-28 s under load)."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).parent / "tradeloop")

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux's /proc")


def _private_mb(pid: int) -> float:
    """USS: the pages only this process holds."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            fields[name] = int(rest.split()[0])
    return (fields["Private_Clean"] + fields["Private_Dirty"]) / 1024


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_workers_fork_from_a_master_that_loaded_the_app_and_jieba(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "TRADELOOP_TEST_DB_NAME"}}
    env.update(TRADELOOP_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tradeloop.settings")
    with (tmp_path / "serve.log").open("w") as log:
        master = subprocess.Popen(
            [SCRIPT, "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert master.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "tradeloop serve did not answer"
                time.sleep(0.3)
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
        while len(workers := [int(p) for p in children.read_text().split()]) < 2:  # gunicorn forks one by one
            assert time.monotonic() < deadline, f"tradeloop serve started {len(workers)} of 2 workers"
            time.sleep(0.3)
        time.sleep(1)  # the second one finishes its start-up
        # Loading Django and the app in each worker cost ~118 MB of its own; jieba's dictionary alone is ~70 MB.
        assert all(_private_mb(pid) < 50 for pid in workers), [_private_mb(pid) for pid in workers]
        assert list((tmp_path / "cache").glob("jieba-*.marisa"))  # the master set jieba up (and built its trie)
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=30)
