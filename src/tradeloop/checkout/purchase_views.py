"""Console "Purchases": the orders the organization placed as a buyer, and receiving their goods into stock."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.catalog.models import Variant
from tradeloop.checkout import purchases
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.inventory import selectors as stock
from tradeloop.inventory import supply

SECTION = "checkout:console_purchases"


@console_page(purchases.CAPABILITY, section=SECTION)
def console_purchases(request: HttpRequest, console: Console) -> HttpResponse:
    try:
        page, lines = purchases.purchase_orders(
            actor=request.user, merchant=console.organization, cursor=request.GET.get("after")
        )
    except DomainError:
        return redirect(SECTION, console.organization.pk)
    rows = [(order, lines[order.pk]) for order in page.items]
    return console.render(request, "checkout/console_purchases.html", {"page": page, "rows": rows})


def _quantities(request: HttpRequest, lines) -> dict[int, int]:
    out = {}
    for p in lines:
        value = (request.POST.get(f"line_{p.line.pk}") or "").strip()
        if value:
            if not value.isdigit():
                raise ValidationFailed(gettext("Enter a whole number, zero or more."), field=f"line_{p.line.pk}")
            out[p.line.pk] = int(value)
    return out


def _link(request: HttpRequest, console: Console, lines) -> None:
    """Link a line's supplier variant to one of the merchant's own variants (by its SKU) with a pack size."""
    line_id = request.POST.get("line", "")
    line = next((p.line for p in lines if str(p.line.pk) == line_id), None)
    if line is None:
        raise NotFound(gettext("That line is not on this order."), field="line")
    sku = (request.POST.get("own_sku") or "").strip()
    own = Variant.objects.filter(product__seller=console.organization, sku__iexact=sku).first()
    if own is None:
        raise NotFound(gettext("None of your products has the SKU %(sku)s.") % {"sku": sku}, field="own_sku")
    supply.save_source(
        actor=request.user,
        merchant=console.organization,
        variant_id=own.pk,
        supplier_variant_id=line.variant_id,
        units_per_pack=request.POST.get("units_per_pack") or 1,
    )
    messages.success(request, gettext("%(sku)s now restocks %(own)s.") % {"sku": line.sku, "own": own.sku})


@console_page(purchases.CAPABILITY, section=SECTION)
def console_purchase(request: HttpRequest, console: Console, order_id: int) -> HttpResponse:
    merchant = console.organization
    order, lines = purchases.purchase_order(actor=request.user, merchant=merchant, order_id=order_id)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "link":
                _link(request, console, lines)
            else:
                purchases.receive(
                    actor=request.user,
                    merchant=merchant,
                    order_id=order.pk,
                    quantities=_quantities(request, lines),
                    warehouse_id=int(request.POST.get("warehouse") or 0),
                    reference=request.POST.get("reference", ""),
                    note=request.POST.get("note", ""),
                    key=request.POST.get("idempotency_key") or None,
                )
                messages.success(request, gettext("Goods received; your stock is updated."))
        except DomainError as exc:
            error = exc
        else:
            return redirect("checkout:console_purchase", merchant.pk, order.pk)
        order, lines = purchases.purchase_order(actor=request.user, merchant=merchant, order_id=order_id)
    context = {
        "order": order,
        "lines": lines,
        "receivable": order.state in purchases.RECEIVABLE and any(p.to_receive for p in lines),
        "warehouses": [w for w in stock.warehouses(actor=request.user, seller=merchant) if w.is_active],
        "receipts": purchases.receipts_of(actor=request.user, merchant=merchant, order=order, lines=lines),
        "error": error,
        "idempotency_key": uuid.uuid4().hex,
    }
    return console.render(request, "checkout/console_purchase.html", context, status=error.status if error else 200)
