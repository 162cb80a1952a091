"""A real Celery worker (a subprocess) consumes real tasks, on the embedded file broker and on Redis.

The worker cannot see pytest's test database, so it gets its own data folder, migrated by a subprocess;
the test sends tasks through a Celery client pointed at the same broker and reads effects with sqlite3.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from celery import Celery

from tradeloop.core import file_broker

WAIT_SECONDS = 25
REDIS_URL = "redis://127.0.0.1:6379/15"


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "TRADELOOP_TEST_DB_NAME"}}
    env.update(TRADELOOP_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="tradeloop.settings", **extra)
    return env


def _tradeloop(data_dir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tradeloop.cli", *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# One Django start-up for both: migrate the worker's database and leave one invitation that is overdue.
PREPARE = """
from datetime import timedelta
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from tradeloop.accounts.models import Invitation, Organization, Role
from tradeloop.core import clock
org = Organization.objects.create(kind="merchant", name="Probe", slug="probe")
Invitation.objects.create(organization=org, email="late@example.com", role=Role.objects.get(code="support"),
                          token_hash="0" * 64, expires_at=clock.now() - timedelta(days=1))
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("worker-data")
    _tradeloop(path, "shell", "-c", PREPARE)
    return path


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@contextmanager
def running_worker(data_dir: Path, queue: str, *args: str, **env: str):
    log = (data_dir / f"worker-{queue}.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tradeloop", "worker", "-l", "info", "-c", "1", "-Q", queue, *args],
        env=_env(data_dir, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield worker
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=3)
        with suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # pool children and the beat, whatever is left
        worker.wait()
        log.close()


def _client(broker: str, backend: str, **conf) -> Celery:
    client = Celery("probe", broker=broker, backend=backend)
    client.conf.update(conf)
    return client


def _file_client(data_dir: Path) -> Celery:
    """A client of the worker's embedded queue, configured as the settings configure it."""
    jobs = data_dir / "jobs"
    return _client(
        "filesystem://",
        file_broker.results_url(jobs),
        broker_transport="tradeloop.core.file_broker:Transport",
        broker_transport_options=file_broker.options(jobs),
    )


def _worker_log(data_dir: Path, queue: str) -> str:
    return (data_dir / f"worker-{queue}.log").read_text()[-3000:]


def _invitation_states(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "tradeloop.sqlite3") as db:
        return [state for (state,) in db.execute("SELECT state FROM accounts_invitation")]


def test_worker_with_beat_consumes_tasks_from_the_file_broker(data_dir):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    client = _file_client(data_dir)
    with running_worker(data_dir, queue, "--beat"):
        pong = client.send_task("tradeloop.core.tasks.ping", queue=queue)
        expired = client.send_task("tradeloop.accounts.tasks.expire_invitations", queue=queue)
        assert pong.get(timeout=WAIT_SECONDS) == "pong", _worker_log(data_dir, queue)
        assert expired.get(timeout=WAIT_SECONDS) == 1
        deadline = time.monotonic() + 5
        while not list(data_dir.glob("celerybeat-schedule*")) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert _invitation_states(data_dir) == ["expired"]
    assert list(data_dir.glob("celerybeat-schedule*")), "the embedded beat did not start"


@pytest.mark.skipif(not _redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_worker_consumes_tasks_from_redis(data_dir):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    client = _client(REDIS_URL, REDIS_URL)
    with running_worker(data_dir, queue, "-P", "threads", REDIS_URL=REDIS_URL):
        pong = client.send_task("tradeloop.core.tasks.ping", queue=queue)
        swept = client.send_task("tradeloop.accounts.tasks.expire_invitations", queue=queue)
        assert pong.get(timeout=WAIT_SECONDS) == "pong", _worker_log(data_dir, queue)
        assert swept.get(timeout=WAIT_SECONDS) in (0, 1)  # it could read the worker's database
