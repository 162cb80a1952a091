"""Background jobs of buyer feedback: thin wrappers over its services."""

from __future__ import annotations

from celery import shared_task

from tradeloop.feedback import notices


@shared_task(retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_done(suggestion_id: int) -> int:
    return notices.send_done(suggestion_id)
