"""o2o's timed rules: the scheduler (celery beat, tradeloop/celery.py) only calls the sweeps."""

from __future__ import annotations

from celery import shared_task  # noqa: F401

from tradeloop.core import clock  # noqa: F401
