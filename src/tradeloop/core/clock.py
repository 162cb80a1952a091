"""The one clock. Code asks `clock.now()`; tests move it with `clock.travel(...)`/`clock.advance(...)`.

A shift can also be set for other processes with TRADELOOP_CLOCK_OFFSET_SECONDS.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from django.utils import timezone

_offset = timedelta(seconds=float(os.environ.get("TRADELOOP_CLOCK_OFFSET_SECONDS", "0")))


def now() -> datetime:
    return timezone.now() + _offset


def advance(**delta: float) -> datetime:
    global _offset
    _offset += timedelta(**delta)
    return now()


def travel(to: datetime) -> datetime:
    global _offset
    _offset = to - timezone.now()
    return now()


def reset() -> None:
    global _offset
    _offset = timedelta(0)
