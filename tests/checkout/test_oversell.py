"""Never oversell: 50 buyers in separate processes race through the real HTTP API for the last 10 units.

PostgreSQL: against pytest-django's live server (a thread and a database connection per request).
SQLite: the test database is copied to a file and served by gunicorn with 4 worker processes × 4 threads, the
way the embedded mode runs in production: SQLite serialises the writers, the counts must be the same.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.checkout import _buyer
from tests.checkout.conftest import stocked
from tests.factories import UserFactory, seller_with_owner
from tradeloop.accounts.services import issue_token
from tradeloop.checkout import addresses as address_book
from tradeloop.checkout import cart as carts
from tradeloop.checkout.cart import CartOwner

BUYERS = 50
UNITS = 10


def prepare_race(buyers: int = BUYERS, units: int = UNITS):
    """A product with `units` left, and `buyers` signed-up buyers with one in their cart and an address each."""
    variant = stocked(seller_with_owner(name="Last Units Ltd"), title="Limited teapot", stock=units).variants.get()
    racers = []
    for i in range(buyers):
        buyer = UserFactory(email=f"racer{i}@example.com")
        carts.add_item(owner=CartOwner(user=buyer), variant_id=variant.pk, quantity=1)
        address = address_book.save_address(
            actor=buyer, data={"name": f"Racer {i}", "phone": "1380000", "line1": "1 Road", "city": "Suzhou"}
        )
        racers.append((issue_token(user=buyer)[1], address.pk))
    return variant, racers


def race(base_url: str, racers) -> Counter:
    """Every buyer in its own process, released together by a barrier; the answers counted."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(racers)), ctx.Queue()
    processes = [
        ctx.Process(target=_buyer.race_one, args=(barrier, results, base_url, token, address_id, f"race-{i}"))
        for i, (token, address_id) in enumerate(racers)
    ]
    for p in processes:
        p.start()
    answers = [results.get(timeout=180) for _ in processes]
    for p in processes:
        p.join(timeout=30)
    return Counter(answers)


def assert_exactly_ten_sold(answers: Counter, stock_levels: list[tuple[int, int]], held: int, orders: int) -> None:
    assert answers[(201, "")] == UNITS, answers
    assert answers[(409, "out_of_stock")] == BUYERS - UNITS, answers
    assert sum(answers.values()) == BUYERS
    assert all(on_hand >= 0 and 0 <= reserved <= on_hand for on_hand, reserved in stock_levels)
    assert sum(reserved for _, reserved in stock_levels) == UNITS == held == orders
    assert sum(on_hand for on_hand, _ in stock_levels) == UNITS  # reserved, not yet paid: still on hand


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_ten_units_on_postgresql(live_server, settings):
    from tradeloop.inventory.models import Reservation, Stock
    from tradeloop.orders.models import Order

    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker in tests: e-mails are sent in the request
    variant, racers = prepare_race()
    answers = race(live_server.url, racers)
    levels = list(Stock.objects.filter(variant=variant).values_list("on_hand", "reserved"))
    held = sum(Reservation.objects.filter(stock__variant=variant, state="held").values_list("quantity", flat=True))
    assert_exactly_ten_sold(answers, levels, held, Order.objects.filter(lines__variant=variant).count())
    variant.refresh_from_db()
    assert variant.stock == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited: {server.stdout.read() if server.stdout else ''}")
        try:
            urllib.request.urlopen(f"{url}/api/v1/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer in time")


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_ten_units_on_sqlite(tmp_path: Path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the race")
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        pytest.skip("gunicorn is not installed")
    variant, racers = prepare_race()
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "tradeloop.sqlite3")
    connection.connection.backup(target)  # the migrated test database, with the racers, as a file
    target.close()
    port = free_port()
    env = {
        **os.environ,
        "TRADELOOP_DATA_DIR": str(tmp_path),
        "SECRET_KEY": settings.SECRET_KEY,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DEBUG": "false",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "tradeloop.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "4", "--threads", "4", "--timeout", "120", "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, server)
        answers = race(url, racers)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    log = server.stdout.read() if server.stdout else ""
    db = sqlite3.connect(tmp_path / "tradeloop.sqlite3")
    levels = db.execute("SELECT on_hand, reserved FROM inventory_stock WHERE variant_id = ?", (variant.pk,)).fetchall()
    held = db.execute(
        "SELECT COALESCE(SUM(r.quantity), 0) FROM inventory_reservation r JOIN inventory_stock s ON s.id = r.stock_id "
        "WHERE s.variant_id = ? AND r.state = 'held'",
        (variant.pk,),
    ).fetchone()[0]
    orders = db.execute("SELECT COUNT(*) FROM orders_orderline WHERE variant_id = ?", (variant.pk,)).fetchone()[0]
    available = db.execute("SELECT stock FROM catalog_variant WHERE id = ?", (variant.pk,)).fetchone()[0]
    db.close()
    try:
        assert_exactly_ten_sold(answers, levels, held, orders)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n--- the server's log ---\n{log[-6000:]}") from None
    assert available == 0
