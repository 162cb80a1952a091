"""Console pages for fulfilment: shipping methods, shipping an order, marking a parcel delivered.

The ship form and the parcel list live on the order desk's order page (included with `{% ship_panel order console %}`);
their POSTs land here and go back to the page they came from.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.fulfilment import selectors, services
from tradeloop.fulfilment.forms import ShipForm, ShippingMethodForm
from tradeloop.fulfilment.models import ShippingMethod
from tradeloop.orders import selectors as orders_selectors

SHIPPING = "fulfilment:console_shipping_methods"
ORDER_DESK = "orders:console_orders"  # the order desk's section (the orders app's page)
FORM_FIELDS = set(ShippingMethodForm.base_fields)


def _attach(form, error: DomainError) -> None:
    """A service error on the form field it names ("bands.2.rate" → bands), else on the whole form."""
    name = (error.field or "").split(".")[0]
    form.add_error(name if name in FORM_FIELDS else None, error.message)


def _order_page(console: Console, order_id: int) -> str:
    return reverse("orders:console_order", args=[console.organization.pk, order_id])


def _back(request: HttpRequest, console: Console, order_id: int) -> str:
    wanted = request.POST.get("next", "")
    prefix = f"/console/{console.organization.pk}/"
    if wanted.startswith(prefix) and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    return _order_page(console, order_id)


# ---------- shipping methods ----------


@console_page(selectors.SHIPPING_CAPABILITY, section=SHIPPING)
def console_shipping_methods(request: HttpRequest, console: Console) -> HttpResponse:
    methods = list(selectors.shipping_methods(actor=request.user, seller=console.organization))
    return console.render(request, "fulfilment/console_shipping_methods.html", {"methods": methods})


def _method_form_page(request: HttpRequest, console: Console, method: ShippingMethod | None) -> HttpResponse:
    if request.method == "POST":
        form = ShippingMethodForm(request.POST)
        if form.is_valid():
            try:
                if method is None:
                    services.create_shipping_method(
                        actor=request.user, seller=console.organization, data=form.to_input()
                    )
                    messages.success(request, gettext("Shipping method added."))
                else:
                    services.update_shipping_method(actor=request.user, method_id=method.pk, data=form.to_input())
                    messages.success(request, gettext("Shipping method saved."))
                return redirect(SHIPPING, console.organization.pk)
            except DomainError as exc:
                if isinstance(exc, NotFound):
                    raise
                _attach(form, exc)
        status = 400
    else:
        form = ShippingMethodForm(initial=ShippingMethodForm.initial_for(method) if method else None)
        status = 200
    context = {"form": form, "method": method}
    return console.render(request, "fulfilment/console_shipping_method_form.html", context, status=status)


@console_page(selectors.SHIPPING_CAPABILITY, section=SHIPPING)
def console_shipping_method_new(request: HttpRequest, console: Console) -> HttpResponse:
    return _method_form_page(request, console, None)


def _own_method(request: HttpRequest, console: Console, method_id: int) -> ShippingMethod:
    method = services.seller_shipping_method(actor=request.user, method_id=method_id)
    if method.seller_id != console.organization.pk:
        raise NotFound(gettext("Shipping method not found."))
    return method


@console_page(selectors.SHIPPING_CAPABILITY, section=SHIPPING)
def console_shipping_method_edit(request: HttpRequest, console: Console, method_id: int) -> HttpResponse:
    return _method_form_page(request, console, _own_method(request, console, method_id))


@require_POST
@console_page(selectors.SHIPPING_CAPABILITY, section=SHIPPING)
def console_shipping_method_delete(request: HttpRequest, console: Console, method_id: int) -> HttpResponse:
    method = _own_method(request, console, method_id)
    services.delete_shipping_method(actor=request.user, method_id=method.pk)
    messages.success(request, gettext("Shipping method %(name)s deleted.") % {"name": method.name})
    return redirect(SHIPPING, console.organization.pk)


# ---------- shipping an order ----------


@require_POST
@console_page("orders.fulfil", section=ORDER_DESK)
def console_ship(request: HttpRequest, console: Console, order_id: int) -> HttpResponse:
    order = orders_selectors.order_for_seller(request.user, order_id, "orders.fulfil")
    if order.seller_id != console.organization.pk:
        raise NotFound(gettext("Order not found."))
    form = ShipForm(request.POST, line_ids=[line.pk for line in order.lines.all()])
    try:
        if not form.is_valid():
            raise ValidationFailed(next(iter(form.errors.values()))[0])
        shipment = services.ship(
            actor=request.user,
            order=order,
            lines=form.quantities(),
            carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"],
        )
    except forms.ValidationError as exc:
        messages.error(request, exc.messages[0])
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("Shipped with %(carrier)s, tracking number %(number)s.")
            % {"carrier": shipment.carrier, "number": shipment.tracking_number},
        )
    return redirect(_back(request, console, order.pk))


@require_POST
@console_page("orders.fulfil", section=ORDER_DESK)
def console_mark_delivered(request: HttpRequest, console: Console, shipment_id: int) -> HttpResponse:
    shipment = services.seller_shipment(actor=request.user, shipment_id=shipment_id)
    if shipment.order.seller_id != console.organization.pk:
        raise NotFound(gettext("Shipment not found."))
    try:
        services.mark_delivered(actor=request.user, shipment_id=shipment.pk)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Parcel %(number)s marked delivered.") % {"number": shipment.tracking_number})
    return redirect(_back(request, console, shipment.order_id))
