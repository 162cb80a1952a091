"""o2o's timed rules: the scheduler (celery beat, tradeloop/celery.py) only calls the sweeps."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task  # noqa: F401

from tradeloop.core import clock  # noqa: F401

# --- bookings: unanswered requests lapse (deposit refunded); reminders before the start ---


@shared_task
def sweep_lapsed_bookings() -> int:
    from tradeloop.o2o import bookings

    return bookings.sweep_lapsed(clock.now())


@shared_task
def sweep_booking_reminders() -> int:
    from tradeloop.o2o import bookings

    return bookings.sweep_reminders(clock.now())


# --- consumer requests: open requests expire at their expires_at, their open answers with them ---


@shared_task
def sweep_expired_requests() -> int:
    from tradeloop.o2o import local_requests

    return local_requests.sweep_expired_requests(clock.now())


# --- deals and vouchers: deals end or fail at their sale end (refunds), unused vouchers expire, orders complete ---


@shared_task
def sweep_deals() -> int:
    from tradeloop.o2o import vouchers

    return vouchers.sweep_deals(clock.now())


@shared_task
def sweep_expired_vouchers() -> int:
    from tradeloop.o2o import vouchers

    return vouchers.sweep_expired_vouchers(clock.now())


@shared_task
def sweep_closed_voucher_orders() -> int:
    from tradeloop.o2o import vouchers

    return vouchers.sweep_closed_orders(clock.now())


# --- review invitations: a redeemed voucher (once its undo window is over) or a completed booking invites a review ---


@shared_task
def sweep_review_invitations() -> int:
    from tradeloop.o2o import review_invitations

    return review_invitations.sweep_invitations(clock.now())


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_kwargs={"max_retries": 8})
def send_review_invitation(record_kind: str, record_id: int) -> int:
    from tradeloop.o2o import review_invitations

    return review_invitations.invitation_email(record_kind, record_id)


# --- notifications: a valid voucher about to expire tells its buyer once ---


@shared_task
def sweep_expiring_vouchers() -> int:
    from tradeloop.o2o import notices

    return notices.sweep_expiring_vouchers(clock.now())
