"""Many real database clients at once: each racer runs in its own thread with its own PostgreSQL connection, and
all start together at a barrier, so the database sees the writes interleave."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from django.db import connections, transaction

from tradeloop.core.errors import Conflict

RACERS = 8


def race(action, racers: int = RACERS) -> list[str]:
    """Run `action(i)` in `racers` threads at once; each outcome is "ok" or "conflict" (a refused change)."""
    barrier = Barrier(racers)

    def one(i: int) -> str:
        try:
            barrier.wait()
            with transaction.atomic():
                action(i)
            return "ok"
        except Conflict:
            return "conflict"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=racers) as pool:
        return list(pool.map(one, range(racers)))
