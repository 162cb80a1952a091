"""Console pages for stock: levels per warehouse with low-stock alerts, adjustments with a reason, movement history,
goods received, and the warehouses themselves (with the priority orders allocate by)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core.errors import DomainError, ValidationFailed
from tradeloop.inventory import selectors, services, supply
from tradeloop.inventory.forms import AdjustForm, ReceiveForm, ThresholdForm, WarehouseForm

STOCK = "inventory:console_stock"
CAPABILITY = selectors.CAPABILITY
PAGE_SIZE = 50


def _attach(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _stock_filter(request: HttpRequest) -> selectors.StockFilter:
    warehouse = request.GET.get("warehouse", "")
    return selectors.StockFilter(
        warehouse_id=int(warehouse) if warehouse.isdigit() else None,
        low=request.GET.get("low") in ("1", "true", "on"),
        q=(request.GET.get("q") or "").strip()[:100],
    )


def _rfq_url() -> str:
    """The B2B "new RFQ" page, when the b2b app serves it ("" otherwise: no link to a page that is not there)."""
    try:
        return reverse("b2b:rfq_new")
    except NoReverseMatch:
        return ""


def allocation_rule() -> str:
    """The rule of inventory.services (ALLOCATION RULE), in the seller's words."""
    return gettext(
        "Orders take stock from your active warehouses in priority order (lowest number first): the first warehouse "
        "that has the whole quantity sends it; if none has, the order is split across warehouses in that order."
    )


def _stock_page(request: HttpRequest, console: Console, receive_form: ReceiveForm | None = None, status: int = 200):
    f = _stock_filter(request)
    seller = console.organization
    try:
        page = selectors.stock_rows(
            actor=request.user, seller=seller, f=f, cursor=request.GET.get("after"), limit=PAGE_SIZE
        )
    except ValidationFailed:
        return redirect(STOCK, seller.pk)
    warehouses = selectors.warehouses(actor=request.user, seller=seller)
    reorders = supply.reorders(merchant=seller, rows=page.items)
    for row in page.items:
        row.reorder = reorders.get(row.pk)
    context = {
        "page": page,
        "rfq_url": _rfq_url() if reorders else "",
        "filter": f,
        "warehouses": warehouses,
        "low_count": selectors.low_stock_count(actor=request.user, seller=seller),
        "receive_form": receive_form or ReceiveForm(warehouses=warehouses),
        "allocation_rule": allocation_rule(),
    }
    return console.render(request, "inventory/console_stock.html", context, status=status)


@console_page(CAPABILITY, section=STOCK)
def console_stock(request: HttpRequest, console: Console) -> HttpResponse:
    return _stock_page(request, console)


@console_page(CAPABILITY, section=STOCK)
def console_receive(request: HttpRequest, console: Console) -> HttpResponse:
    if request.method != "POST":
        return redirect(STOCK, console.organization.pk)
    warehouses = selectors.warehouses(actor=request.user, seller=console.organization)
    form = ReceiveForm(request.POST, warehouses=warehouses)
    if form.is_valid():
        data = form.cleaned_data
        try:
            stock = services.receive(
                actor=request.user,
                seller=console.organization,
                sku=data["sku"],
                warehouse_id=data["warehouse"],
                quantity=data["quantity"],
                note=data["note"],
            )
        except DomainError as error:
            _attach(form, error)
        else:
            messages.success(
                request,
                gettext("%(n)s units of %(sku)s received.") % {"n": data["quantity"], "sku": stock.variant.sku},
            )
            return redirect(STOCK, console.organization.pk)
    return _stock_page(request, console, receive_form=form, status=400)


def _save_stock_form(request: HttpRequest, stock, action: str, data: dict) -> None:
    if action == "threshold":
        services.set_threshold(actor=request.user, stock_id=stock.pk, threshold=data["low_stock_threshold"])
    else:
        services.adjust(
            actor=request.user, stock_id=stock.pk, delta=data["delta"], reason=data["reason"], note=data["note"]
        )


@console_page(CAPABILITY, section=STOCK)
def console_stock_row(request: HttpRequest, console: Console, stock_id: int) -> HttpResponse:
    stock = selectors.stock_row(actor=request.user, stock_id=stock_id)
    if stock.warehouse.seller_id != console.organization.pk:
        raise Http404("stock row not found")
    forms = {
        "adjust": AdjustForm(),
        "threshold": ThresholdForm(initial={"low_stock_threshold": stock.low_stock_threshold}),
    }
    if request.method == "POST":
        action = "threshold" if request.POST.get("action") == "threshold" else "adjust"
        form = forms[action] = (ThresholdForm if action == "threshold" else AdjustForm)(request.POST)
        if form.is_valid():
            try:
                _save_stock_form(request, stock, action, form.cleaned_data)
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(request, gettext("Stock updated."))
                return redirect("inventory:console_stock_row", console.organization.pk, stock.pk)
    context = {
        "stock": stock,
        "movements": selectors.movements(actor=request.user, stock_id=stock.pk),
        "adjust_form": forms["adjust"],
        "threshold_form": forms["threshold"],
    }
    return console.render(
        request, "inventory/console_stock_row.html", context, status=400 if request.method == "POST" else 200
    )


@console_page(CAPABILITY, section=STOCK)
def console_warehouses(request: HttpRequest, console: Console) -> HttpResponse:
    form = WarehouseForm()
    if request.method == "POST":
        form = WarehouseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.create_warehouse(
                    actor=request.user,
                    seller=console.organization,
                    name=data["name"],
                    city=data["city"],
                    address=data["address"],
                    priority=data["priority"],
                )
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(request, gettext("Warehouse added."))
                return redirect("inventory:console_warehouses", console.organization.pk)
    context = {"warehouses": selectors.warehouses(actor=request.user, seller=console.organization), "form": form}
    return console.render(request, "inventory/console_warehouses.html", context)


@console_page(CAPABILITY, section=STOCK)
def console_warehouse(request: HttpRequest, console: Console, warehouse_id: int) -> HttpResponse:
    warehouse = services.seller_warehouse(actor=request.user, warehouse_id=warehouse_id)
    if warehouse.seller_id != console.organization.pk:
        raise Http404("warehouse not found")
    fields = ("name", "city", "address", "priority", "is_active")
    form = WarehouseForm(initial={f: getattr(warehouse, f) for f in fields})
    if request.method == "POST":
        form = WarehouseForm(request.POST)
        if form.is_valid():
            try:
                services.update_warehouse(actor=request.user, warehouse_id=warehouse.pk, **form.cleaned_data)
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(request, gettext("Warehouse saved."))
                return redirect("inventory:console_warehouses", console.organization.pk)
    return console.render(request, "inventory/console_warehouse.html", {"warehouse": warehouse, "form": form})
