"""What an order's mode decides: the policies the one order pipeline takes per mode, as data.

`orders.services` reads them by `Order.mode`: how long a placed order waits for its payment (or its approval),
whether stock is held meanwhile, what happens when the goods sold out before a (late) payment arrived, and the
ship-by deadline. All four modes have one (placing an order of a mode without a policy is refused). C2C's money is held in escrow: the ledger posts its sale to the escrow account, and
the c2c app (not the completion sweep) releases it.

Who buys, and on which terms, is answered by `buyer_context`: the B2B app registers how a company member buys
(mode b2b, for the company, on the company's payment terms); everybody else buys B2C.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    ship_within: Callable[[], timedelta | None]  # ship_by = paid_at (or confirmed_at) + this; None: nothing ships
    approval_timeout: Callable[[], timedelta] = lambda: timedelta(days=7)  # a held order waits this long
    allows_terms: bool = False  # may be placed on payment terms (orders.terms) other than prepay
    escrow: bool = False  # the ledger holds the payment in escrow until the mode releases it (not at completion)


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

B2B = Policy(
    mode="b2b",
    payment_timeout=_days("TRADELOOP_B2B_PAYMENT_DAYS", 7),  # a prepay company order: a bank transfer takes days
    reserves_stock=True,
    sold_out_at_capture=REFUND_AND_CANCEL,
    ship_within=_days("TRADELOOP_B2B_SHIP_WITHIN_DAYS", 7),
    approval_timeout=_days("TRADELOOP_APPROVAL_DAYS", 7),
    allows_terms=True,
)

C2C = Policy(
    mode="c2c",
    payment_timeout=_minutes("TRADELOOP_C2C_PAYMENT_MINUTES", 24 * 60),  # an accepted offer waits a day for payment
    reserves_stock=True,
    sold_out_at_capture=REFUND_AND_CANCEL,
    ship_within=_days("TRADELOOP_C2C_SHIP_WITHIN_DAYS", 5),  # not shipped by then: cancelled and refunded
    escrow=True,
)

O2O = Policy(
    mode="o2o",
    payment_timeout=_minutes("TRADELOOP_O2O_PAYMENT_MINUTES", 15),
    reserves_stock=True,  # a deal's stock cap, a service's slot
    sold_out_at_capture=REFUND_AND_CANCEL,
    ship_within=lambda: None,  # vouchers are redeemed and bookings served in the shop: no ship-by deadline
    escrow=True,  # each voucher's share leaves escrow when it is redeemed (o2o.vouchers)
)

POLICIES: dict[str, Policy] = {B2C.mode: B2C, B2B.mode: B2B, C2C.mode: C2C, O2O.mode: O2O}


def policy_for(mode: str) -> Policy:
    found = POLICIES.get(str(mode))
    if found is None:
        raise ValidationFailed(
            gettext("Orders of mode %(mode)s cannot be placed yet.") % {"mode": mode}, field="mode", code="bad_mode"
        )
    return found


# ---------- who buys, on which terms ----------


@dataclass(frozen=True)
class BuyerContext:
    mode: str = B2C.mode
    buyer_org: object | None = None  # accounts.Organization the actor buys for
    payment_terms: str = ""  # an orders.terms code; "" = paid before shipping
    addresses: list = field(default_factory=list)  # delivery addresses the buyer organization keeps (dicts)


BuyerResolver = Callable[..., BuyerContext | None]  # (actor, seller) -> a context, or None: not mine to answer
_buyer_resolvers: list[BuyerResolver] = []


def register_buyer_context(resolver: BuyerResolver) -> None:
    """Called from an AppConfig.ready(); the first resolver that answers wins. Registering twice is a no-op."""
    if resolver not in _buyer_resolvers:
        _buyer_resolvers.append(resolver)


def buyer_context(actor, seller=None) -> BuyerContext:
    """How `actor` buys (from `seller`, if given): B2C unless a registered resolver says otherwise."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        for resolver in _buyer_resolvers:
            if (context := resolver(actor, seller)) is not None:
                return context
    return BuyerContext()
