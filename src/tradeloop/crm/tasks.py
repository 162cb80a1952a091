from __future__ import annotations

from celery import shared_task

from tradeloop.crm import services


@shared_task(acks_late=True)
def deliver_campaign(campaign_id: int) -> int:
    """E-mail a campaign's members not reached yet (idempotent: a retry sends nobody twice)."""
    return services.deliver(campaign_id)
