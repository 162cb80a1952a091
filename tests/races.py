"""Many real database clients at once: each racer runs in its own thread with its own PostgreSQL connection, and
all start together at a barrier, so the database sees the writes interleave."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connections, transaction

from tradeloop.core.errors import Conflict

RACERS = 8
# Transactional: each racer commits on its own connection. No serialized_rollback: its flush skips post_migrate and
# would leave the next transactional test without the seeded roles; the plain flush seeds them again.
RACE_MARKS = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(action, racers: int = RACERS) -> list[str]:
    """Run `action(i)` in `racers` threads at once; each outcome is "ok" or the code of the Conflict that refused it."""
    barrier = Barrier(racers)

    def one(i: int) -> str:
        try:
            barrier.wait()
            with transaction.atomic():
                action(i)
            return "ok"
        except Conflict as refused:
            return refused.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=racers) as pool:
        return list(pool.map(one, range(racers)))
