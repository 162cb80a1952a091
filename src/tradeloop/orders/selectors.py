"""Reads of orders, scoped to the acting buyer or seller staff, with fixed query counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.core import states
from tradeloop.core.errors import NotAuthenticated, NotFound, ValidationFailed
from tradeloop.core.models import Event
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.orders.models import Adjustment, Order, OrderLine

ORDER = ("-placed_at", "-id")


def _with_lines(qs: QuerySet[Order]) -> QuerySet[Order]:
    """For lists: seller, buyer and lines (2 queries whatever the number of orders)."""
    return qs.select_related("seller", "buyer").prefetch_related(Prefetch("lines", OrderLine.objects.order_by("id")))


def _with_details(qs: QuerySet[Order]) -> QuerySet[Order]:
    """For one order: its lines and its price breakdown."""
    return _with_lines(qs).prefetch_related(Prefetch("adjustments", Adjustment.objects.order_by("id")))


def _signed_in(actor: User) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in to see your orders."))


def order_for_buyer(actor: User, number: str) -> Order:
    """One of the actor's orders by number, with lines and price breakdown; anyone else's answers 404."""
    _signed_in(actor)
    order = _with_details(Order.objects.filter(buyer=actor, number=number)).first()
    if order is None:
        raise NotFound(gettext("Order not found."))
    return order


def order_for_seller(actor: User, order_id: int, capability: str = "orders.view") -> Order:
    """One order sold by one of the actor's organizations whose role grants `capability`; else 404 (or 403)."""
    _signed_in(actor)
    order = _with_details(Order.objects.filter(pk=order_id)).first()
    if order is None:
        raise NotFound(gettext("Order not found."))
    try:
        require(actor, order.seller_id, capability)
    except NotFound as exc:
        raise NotFound(gettext("Order not found.")) from exc
    return order


def _state(state: str | None) -> str | None:
    if state in (None, ""):
        return None
    if state not in Order.State.values:
        raise ValidationFailed(gettext("Unknown order status %(state)s.") % {"state": state}, field="status")
    return state


def buyer_orders(*, actor: User, state: str | None = None, cursor: str | None = None, limit: int = 20) -> Page:
    """The actor's order history, newest first, a keyset page with lines (3 queries whatever the page size)."""
    _signed_in(actor)
    qs = _with_lines(Order.objects.filter(buyer=actor))
    if state := _state(state):
        qs = qs.filter(state=state)
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class DeskFilter:
    state: str | None = None
    q: str = ""  # an order number, the buyer's e-mail or a SKU (case-insensitive)


def _desk_queryset(seller: Organization, f: DeskFilter) -> QuerySet[Order]:
    qs = Order.objects.filter(seller=seller)
    if state := _state(f.state):
        qs = qs.filter(state=state)
    if q := (f.q or "").strip()[:100]:
        has_sku = Exists(OrderLine.objects.filter(order=OuterRef("pk"), sku__iexact=q))
        qs = qs.filter(Q(number__icontains=q) | Q(buyer__email__icontains=q) | Q(has_sku))
    return qs


def seller_orders(
    *, actor: User, seller: Organization, f: DeskFilter | None = None, cursor: str | None = None, limit: int = 50
) -> Page:
    """The order desk: the seller's orders, filtered and searched, newest first, a keyset page (fixed queries)."""
    require(actor, seller, "orders.view")
    qs = _with_lines(_desk_queryset(seller, f or DeskFilter()))
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def seller_orders_for_export(*, actor: User, seller: Organization, f: DeskFilter, chunk: int = 500) -> Iterator[Order]:
    """Every order of the filtered desk, in chunks (a streamed CSV), with lines prefetched per chunk."""
    require(actor, seller, "orders.view")
    qs = _with_lines(_desk_queryset(seller, f)).order_by(*ORDER)
    return qs.iterator(chunk_size=chunk)


def state_counts(*, actor: User, seller: Organization) -> dict[str, int]:
    """Orders per state for the desk's filter tabs (one grouped query over the order_desk index)."""
    require(actor, seller, "orders.view")
    rows = Order.objects.filter(seller=seller).order_by().values_list("state").annotate(n=Count("id"))
    return {state: n for state, n in rows}


def timeline(order: Order) -> list[Event]:
    """Every state change of the order, oldest first, with who made it (one query)."""
    return list(states.history(order).order_by("at", "id"))


def paid_by(payment_id: int) -> list[Order]:
    """The orders one payment pays for, with their sellers and lines (2 queries)."""
    return list(_with_lines(Order.objects.filter(payment_id=payment_id)).order_by("id"))
