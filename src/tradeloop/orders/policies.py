"""What an order's mode decides: the policies the one order pipeline takes per mode, as data.

`orders.services` reads them by `Order.mode`: how long a placed order waits for its payment, whether stock is held
for it meanwhile, what happens when the goods sold out before a (late) payment arrived, and the ship-by deadline.
Only B2C is built; B2B, C2C and O2O add their policy here when their flows are built (placing an order of a mode
without a policy is refused).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext

from tradeloop.core.errors import ValidationFailed

REFUND_AND_CANCEL = "refund_and_cancel"  # the money comes back, the order is cancelled, the reason on record


@dataclass(frozen=True)
class Policy:
    mode: str
    payment_timeout: Callable[[], timedelta]  # read when used, so settings overrides (and tests) apply
    reserves_stock: bool  # hold the lines' stock from placing until payment_due_at
    sold_out_at_capture: str  # what a payment that arrives after the goods sold out does
    ship_within: Callable[[], timedelta]  # ship_by = paid_at + this


def _minutes(name: str, default: int) -> Callable[[], timedelta]:
    return lambda: timedelta(minutes=getattr(settings, name, default))


def _days(name: str, default: int) -> Callable[[], timedelta]:
    return lambda: timedelta(days=getattr(settings, name, default))


B2C = Policy(
    mode="b2c",
    payment_timeout=_minutes("TRADELOOP_PAYMENT_TIMEOUT_MINUTES", 15),
    reserves_stock=True,
    sold_out_at_capture=REFUND_AND_CANCEL,
    ship_within=_days("TRADELOOP_SHIP_WITHIN_DAYS", 3),
)

POLICIES: dict[str, Policy] = {B2C.mode: B2C}


def policy_for(mode: str) -> Policy:
    found = POLICIES.get(str(mode))
    if found is None:
        raise ValidationFailed(
            gettext("Orders of mode %(mode)s cannot be placed yet.") % {"mode": mode}, field="mode", code="bad_mode"
        )
    return found
