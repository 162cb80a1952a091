"""The scaled-out deployment, for real: PostgreSQL + Redis, two gunicorn workers, one Celery worker and one beat,
each a subprocess of its own, on the test's database (docs/operations.md, "Scaled out on one machine").

- beat + worker run a timed rule without the test calling it: an order left unpaid is cancelled, its stock back;
  the worker's clock is an hour ahead (TRADELOOP_CLOCK_OFFSET_SECONDS), so the order is past its payment time;
- a sign-in served by one gunicorn worker is seen by the other one: the session lives in Redis, not in a process.

Runs in the PostgreSQL run of scripts/test (Redis up); the subprocesses use PostgreSQL through psycopg's pool.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from tests import factories
from tradeloop.orders.models import Order

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/13"
START_SECONDS = 120  # a loaded two-core machine starts Django in several processes at once
RULE_SECONDS = 45


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),  # the subprocesses must see what the test writes
    pytest.mark.skipif(not _redis_is_up(), reason="needs Redis on 127.0.0.1:6379"),
]


def _database_url() -> str:
    """The live test database (pytest-django renamed it), as a URL for the subprocesses."""
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TRADELOOP_TEST_DB_NAME", "TRADELOOP_CLOCK_OFFSET_SECONDS"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tradeloop.settings",
        DATABASE_URL=_database_url(),
        REDIS_URL=REDIS_URL,
        TRADELOOP_DB_POOL="1,4",
        TRADELOOP_DATA_DIR=str(tmp_path),
        SECRET_KEY=settings.SECRET_KEY,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
        **extra,
    )
    return env


class Processes:
    """Subprocesses in their own process groups, logged to files; all stopped, group and all, at the end."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.running: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = self.tmp_path / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                argv, env=env, cwd=self.tmp_path, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running.append((process, log))
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-2500:]}" for _, log in self.running)

    def stop(self) -> None:
        for process, _ in self.running:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process, _ in self.running:
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # pool children, whatever is left
            process.wait()


@contextmanager
def processes(tmp_path: Path):
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "tests.core.scaled_out", *args]


def test_beat_and_a_worker_cancel_an_unpaid_order_on_their_own(tmp_path):
    seller = factories.seller_with_owner(kind="merchant")
    variant = factories.published_product(seller=seller, stock=5).variants.get()
    order = _unpaid_order(seller, variant)
    assert _reserved(variant) == 2
    queue = f"scaled-{uuid.uuid4().hex[:8]}"
    late = _env(tmp_path, TRADELOOP_TEST_QUEUE=queue, TRADELOOP_CLOCK_OFFSET_SECONDS="3600")

    with processes(tmp_path) as started:
        started.start("worker", _celery("worker", "-P", "prefork", "-c", "1", "-l", "info"), late)
        started.start("beat", _celery("beat", "-l", "info", "-s", str(tmp_path / "beat-schedule")), late)
        deadline = time.monotonic() + START_SECONDS + RULE_SECONDS
        while time.monotonic() < deadline:
            order.refresh_from_db()
            if order.state == Order.State.CANCELLED:
                break
            assert all(p.poll() is None for p, _ in started.running), started.logs()
            time.sleep(0.5)
        assert order.state == Order.State.CANCELLED, started.logs()
        log = started.logs()
    assert "cancel_unpaid_orders" in log  # beat sent it, the worker ran it: nobody here called the sweep
    assert _reserved(variant) == 0  # the held stock came back


def _unpaid_order(seller, variant) -> Order:
    from tradeloop.orders import services as orders

    buyer = factories.UserFactory()
    return orders.place_order(
        actor=buyer,
        buyer=buyer,
        seller=seller,
        mode="b2c",
        currency=variant.currency,
        lines=[orders.LineIn(variant, 2, variant.price)],
        adjustments=[],
        commission_rate=Decimal("0.05"),
        shipping_method="Standard",
        shipping_address={"name": "Late Payer", "line1": "1 Nanjing Road", "city": "Shanghai"},
    )


def _reserved(variant) -> int:
    from tradeloop.inventory.models import Stock

    return sum(Stock.objects.filter(variant=variant).values_list("reserved", flat=True))


class Browser:
    """A person's browser: its own cookies, a new connection per request (so any gunicorn worker may answer)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.headers["X-Served-By"], response.read().decode()

    def post(self, path: str, data: dict[str, str]):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=30) as response:
            return response.headers["X-Served-By"], response.read().decode()


def _wait_until_serving(base: str, started: Processes) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        with suppress(OSError), urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            if response.status == 200:
                return
        assert all(p.poll() is None for p, _ in started.running), started.logs()
        time.sleep(0.3)
    raise AssertionError("gunicorn did not answer /healthz\n" + started.logs())


def test_a_sign_in_on_one_app_server_worker_is_seen_by_the_other(tmp_path):
    person = factories.UserFactory(email="shared@example.com")
    argon2 = Argon2PasswordHasher()  # what the app servers check (the test process hashes with MD5, for speed)
    person.password = argon2.encode("a long password 1", argon2.salt())
    person.save(update_fields=["password"])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [sys.executable, "-m", "gunicorn", "tests.core.scaled_out:application", "--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--workers", "2", "--worker-class", "tradeloop.api.server.JsonErrorsWorker", "--threads", "2"]

    with processes(tmp_path) as started:
        started.start("gunicorn", gunicorn, _env(tmp_path))
        _wait_until_serving(base, started)
        browser = Browser(base)
        _, form = browser.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        signed_in_by, _ = browser.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": person.email, "password": "a long password 1"},
        )
        seen_by: dict[str, str] = {}
        deadline = time.monotonic() + START_SECONDS
        while len(seen_by) < 2 and time.monotonic() < deadline:  # the kernel spreads connections over the workers
            pid, body = browser.get("/api/v1/me")
            seen_by[pid] = json.loads(body)["email"]
        assert len(seen_by) == 2, f"only one gunicorn worker answered: {seen_by}\n{started.logs()}"
    assert set(seen_by.values()) == {person.email}
    assert signed_in_by in seen_by
