"""After-sales reads: a buyer's returns, a seller's returns desk, what a buyer may still return. Fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.aftersales.models import ReturnLine, ReturnRequest
from tradeloop.core import clock
from tradeloop.core.errors import NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.orders.models import Order, OrderLine

ORDER = ("-created_at", "-id")


def _with_lines(qs: QuerySet[ReturnRequest]) -> QuerySet[ReturnRequest]:
    return qs.select_related("order", "buyer", "decided_by").prefetch_related(
        Prefetch("lines", ReturnLine.objects.select_related("order_line").order_by("order_line_id"))
    )


def _state(state: str | None) -> str | None:
    if state in (None, ""):
        return None
    if state not in ReturnRequest.State.values:
        raise ValidationFailed(f"unknown state {state!r}", field="state")
    return state


def returns_of(order: Order) -> list[ReturnRequest]:
    """The returns of an order the caller may already see (found through the orders selectors)."""
    return list(_with_lines(ReturnRequest.objects.filter(order=order)).order_by(*ORDER))


def order_returns(*, actor: User, order: Order) -> list[ReturnRequest]:
    """The returns of one order, for its buyer."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("sign in first")
    if order.buyer_id != actor.pk:
        raise NotFound("order not found")
    return returns_of(order)


def buyer_returns(*, actor: User, cursor: str | None = None, limit: int = 20) -> Page:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("sign in first")
    return keyset_page(_with_lines(ReturnRequest.objects.filter(buyer=actor)), order=ORDER, cursor=cursor, limit=limit)


def seller_returns(
    *, actor: User, seller: Organization, state: str | None = None, cursor: str | None = None, limit: int = 25
) -> Page:
    """The seller's returns desk, newest first, optionally one state."""
    require(actor, seller, "orders.view")
    qs = ReturnRequest.objects.filter(order__seller=seller)
    if state := _state(state):
        qs = qs.filter(state=state)
    return keyset_page(_with_lines(qs), order=ORDER, cursor=cursor, limit=limit)


def open_returns_count(*, seller: Organization) -> int:
    return ReturnRequest.objects.filter(order__seller=seller, state=ReturnRequest.State.REQUESTED).count()


def window_closes(order: Order, line: OrderLine) -> datetime | None:
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=line.return_window_days)


def returnable_units(order: Order, line: OrderLine, now: datetime) -> int:
    """Units of the line the buyer may still ask to return now (0 outside the window or before delivery)."""
    closes = window_closes(order, line)
    if order.held_in_escrow:  # C2C: escrow orders are settled by disputes, not returns
        return 0
    if order.state != Order.State.DELIVERED or closes is None or now > closes:
        return 0
    return line.quantity - line.quantity_returned


@dataclass(frozen=True)
class ReturnableLine:
    line: OrderLine
    units: int  # may still be asked for now
    window_closes: datetime | None


def returnable_lines(order: Order, *, now: datetime | None = None) -> list[ReturnableLine]:
    """Every line of the order with what the buyer may still return (for the request form)."""
    now = now or clock.now()
    return [
        ReturnableLine(line, returnable_units(order, line, now), window_closes(order, line))
        for line in order.lines.all()
    ]
