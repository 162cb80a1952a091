"""Order pages: the buyer's order history and the seller console's order desk (filter, search, export, timeline)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.orders import selectors, services
from tradeloop.orders.models import Order

ORDER_DESK = "orders:console_orders"
BUYER_PAGE_SIZE = 10
DESK_PAGE_SIZE = 50
BUYER_CANCELLABLE = services.BUYER_CANCELLABLE


def _state_param(request: HttpRequest) -> str | None:
    state = request.GET.get("status") or None
    return state if state in Order.State.values else None


def _checkout_id(order: Order) -> int | None:
    prefix = "checkout:"
    ref = order.checkout_ref or ""
    return int(ref[len(prefix) :]) if ref.startswith(prefix) and ref[len(prefix) :].isdigit() else None


# ---------- the buyer ----------


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    state = _state_param(request)
    try:
        page = selectors.buyer_orders(
            actor=request.user, state=state, cursor=request.GET.get("after"), limit=BUYER_PAGE_SIZE
        )
    except ValidationFailed:
        return redirect("orders:list")
    return render(request, "orders/list.html", {"page": page, "state": state, "states": Order.State.choices})


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = selectors.order_for_buyer(request.user, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {
        "order": order,
        "timeline": selectors.timeline(order),
        "can_cancel": order.state in BUYER_CANCELLABLE,
        "checkout_id": _checkout_id(order),
    }
    return render(request, "orders/detail.html", context)


@login_required
@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = selectors.order_for_buyer(request.user, number)
        services.cancel(order=order, actor=request.user, reason=gettext("cancelled by the buyer"))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Your order is cancelled."))
    return redirect("orders:detail", number)


# ---------- the seller's order desk ----------


def _desk_filter(request: HttpRequest) -> selectors.DeskFilter:
    return selectors.DeskFilter(state=_state_param(request), q=(request.GET.get("q") or "").strip()[:100])


def _filter_query(f: selectors.DeskFilter) -> str:
    return urlencode({k: v for k, v in (("status", f.state), ("q", f.q)) if v})


@console_page("orders.view", section=ORDER_DESK)
def console_orders(request: HttpRequest, console: Console) -> HttpResponse:
    f = _desk_filter(request)
    seller = console.organization
    try:
        page = selectors.seller_orders(
            actor=request.user, seller=seller, f=f, cursor=request.GET.get("after"), limit=DESK_PAGE_SIZE
        )
    except ValidationFailed:
        return redirect(ORDER_DESK, seller.pk)
    counts = selectors.state_counts(actor=request.user, seller=seller)
    context = {
        "page": page,
        "state": f.state,
        "q": f.q,
        "filter_query": _filter_query(f),
        "tabs": [(value, label, counts.get(value, 0)) for value, label in Order.State.choices],
    }
    return console.render(request, "orders/console_orders.html", context)


CSV_HEADER = (
    "number",
    "placed_at",
    "state",
    "buyer_email",
    "items",
    "currency",
    "subtotal",
    "discount_total",
    "shipping_total",
    "total",
    "refunded_total",
    "shipping_method",
    "city",
    "paid_at",
    "shipped_at",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(orders: Iterator[Order]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for o in orders:
        items = "; ".join(f"{line.quantity} x {line.sku}" for line in o.lines.all())
        yield writer.writerow(
            (
                o.number,
                o.placed_at.isoformat(),
                o.state,
                o.buyer.email,
                items,
                o.currency,
                o.subtotal,
                o.discount_total,
                o.shipping_total,
                o.total,
                o.refunded_total,
                o.shipping_method,
                (o.shipping_address or {}).get("city", ""),
                o.paid_at.isoformat() if o.paid_at else "",
                o.shipped_at.isoformat() if o.shipped_at else "",
            )
        )


@console_page("orders.view", section=ORDER_DESK)
def console_export(request: HttpRequest, console: Console) -> HttpResponse:
    """The filtered desk as CSV, streamed: memory stays flat whatever the number of orders."""
    f = _desk_filter(request)
    orders = selectors.seller_orders_for_export(actor=request.user, seller=console.organization, f=f)
    response = StreamingHttpResponse(_csv_rows(orders), content_type="text/csv; charset=utf-8")
    filename = f"orders-{console.organization.slug}-{clock.now():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@console_page("orders.view", section=ORDER_DESK)
def console_order(request: HttpRequest, console: Console, order_id: int) -> HttpResponse:
    order = selectors.order_for_seller(request.user, order_id)
    if order.seller_id != console.organization.pk:
        raise Http404("order not found")
    context = {
        "order": order,
        "timeline": selectors.timeline(order),
        "can_cancel": console.can("orders.fulfil") and order.state in services.CANCELLABLE,
        "commission_percent": (order.commission_rate * Decimal(100)).normalize(),
    }
    return console.render(request, "orders/console_order.html", context)


@console_page("orders.fulfil", section=ORDER_DESK)
@require_POST
def console_cancel(request: HttpRequest, console: Console, order_id: int) -> HttpResponse:
    order = selectors.order_for_seller(request.user, order_id, capability="orders.fulfil")
    reason = (request.POST.get("reason") or "").strip()[:300]
    if not reason:
        messages.error(request, gettext("Give the buyer a reason for cancelling."))
    else:
        try:
            services.cancel(order=order, actor=request.user, reason=reason)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("The order is cancelled and the buyer refunded."))
    return redirect("orders:console_order", console.organization.pk, order.pk)
