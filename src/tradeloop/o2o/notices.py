"""o2o's events for notifications and organization webhooks, registered from O2oConfig.ready().

- voucher redeemed, booking confirmed → the business's webhooks (`voucher.redeemed`, `booking.confirmed`);
- a valid voucher about to expire (EXPIRING_DAYS before its valid_until) → an in-site notice and an e-mail to its
  buyer, once per voucher: `sweep_expiring_vouchers(now)`, run by the scheduler (idempotent).
(Booking reminders are e-mails of o2o.booking_mail; each e-mail has its in-site twin.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EXPIRING_DAYS = 3
VOUCHER_EXPIRING = _("Your voucher for %(deal)s expires on %(when)s")
VOUCHER_EXPIRING_BODY = _("Book or visit %(place)s before then to use it.")
KIND = "voucher_expiring"


def _voucher_data(voucher) -> dict:
    return {
        "voucher": {
            "id": voucher.pk,
            "state": voucher.state,
            "deal": voucher.deal_id,
            "order": voucher.order_id,
            "valid_until": voucher.valid_until.isoformat(),
            "redeemed_at": voucher.redeemed_at.isoformat() if voucher.redeemed_at else None,
            "redeemed_place": voucher.redeemed_place_id,
        }
    }


def on_voucher_redeemed(event, voucher) -> None:
    from tradeloop.notifications import webhooks

    seller_id = voucher.deal.product.seller_id
    webhooks.emit(
        organizations=[seller_id],
        event_type="voucher.redeemed",
        data=_voucher_data(voucher),
        ref=f"voucher:{voucher.pk}",
    )


def on_booking_confirmed(event, booking) -> None:
    from tradeloop.notifications import webhooks

    data = {
        "booking": {
            "id": booking.pk,
            "state": booking.state,
            "place": booking.place_id,
            "service": booking.service_id,
            "staff": booking.staff_id,
            "starts_at": booking.starts_at.isoformat(),
            "ends_at": booking.ends_at.isoformat(),
            "order": booking.order_id,
        }
    }
    webhooks.emit(
        organizations=[booking.place.seller_id], event_type="booking.confirmed", data=data, ref=f"booking:{booking.pk}"
    )


def sweep_expiring_vouchers(now: datetime) -> int:
    """Tell each buyer once, EXPIRING_DAYS ahead, that a valid voucher of theirs expires; returns how many notices."""
    from tradeloop.notifications.models import Notification
    from tradeloop.notifications.services import notify
    from tradeloop.o2o.models import Voucher

    due = list(
        Voucher.objects.filter(
            state=Voucher.State.VALID, valid_until__gt=now, valid_until__lte=now + timedelta(days=EXPIRING_DAYS)
        ).select_related("buyer", "deal__product", "deal__product__seller")
    )
    told = set(
        Notification.objects.filter(kind=KIND, ref__in=[f"voucher:{v.pk}" for v in due]).values_list("ref", flat=True)
    )
    made = 0
    for voucher in due:
        ref = f"voucher:{voucher.pk}"
        if ref in told:
            continue
        with transaction.atomic():
            made += (
                notify(
                    recipient=voucher.buyer,
                    kind=KIND,
                    ref=ref,
                    title=VOUCHER_EXPIRING,
                    body=VOUCHER_EXPIRING_BODY,
                    params={
                        "deal": voucher.deal.product.display_title,
                        "when": timezone.localtime(voucher.valid_until).strftime("%Y-%m-%d"),
                        "place": voucher.deal.product.seller.name,
                    },
                    link=reverse("o2o:voucher", args=[voucher.pk]),
                    email=True,
                )
                is not None
            )
    return made


def register() -> None:
    from tradeloop.notifications.events import on_transition

    on_transition("o2o.voucher", "redeemed", on_voucher_redeemed)
    on_transition("o2o.booking", "confirmed", on_booking_confirmed)
