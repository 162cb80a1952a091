from celery import shared_task

from tradeloop.accounts.services import sweep_expired_invitations
from tradeloop.core import clock


@shared_task
def expire_invitations() -> int:
    return sweep_expired_invitations(clock.now())
