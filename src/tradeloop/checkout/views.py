"""Cart, checkout and address book pages. Views parse, call a service or selector, and shape."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.checkout import addresses as address_book
from tradeloop.checkout import cart as carts
from tradeloop.checkout import reactions, selectors, services
from tradeloop.checkout.forms import AddressForm, AddToCartForm, QuantityForm
from tradeloop.checkout.models import Checkout
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.orders.models import Order


def _next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    return default


def _owner_for_writing(request: HttpRequest) -> carts.CartOwner:
    """A guest needs a session (and so a session key) before their cart can be kept."""
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()
    return selectors.owner_of(request)


def _remember_guest_cart(request: HttpRequest, cart_id: int) -> None:
    if not request.user.is_authenticated and request.session.get(carts.GUEST_CART_KEY) != cart_id:
        request.session[carts.GUEST_CART_KEY] = cart_id


# ---------- cart ----------


def cart(request: HttpRequest) -> HttpResponse:
    view = selectors.cart_view(selectors.owner_of(request))
    return render(request, "checkout/cart.html", {"cart": view})


@require_POST
def add_to_cart(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    back = _next(request, reverse("checkout:cart"))
    if not form.is_valid():
        messages.error(
            request, gettext("Choose an option and a quantity from 1 to %(max)s.") % {"max": carts.MAX_QUANTITY}
        )
        return redirect(back)
    try:
        item = carts.add_item(
            owner=_owner_for_writing(request),
            variant_id=form.cleaned_data["variant"],
            quantity=form.cleaned_data["quantity"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    _remember_guest_cart(request, item.cart_id)
    messages.success(
        request,
        gettext("Added %(quantity)s × %(title)s to your cart.")
        % {"quantity": form.cleaned_data["quantity"], "title": item.variant.product.display_title},
    )
    return redirect(back)


@require_POST
def update_item(request: HttpRequest, item_id: int) -> HttpResponse:
    owner = selectors.owner_of(request)
    try:
        if request.POST.get("action") == "remove":
            carts.remove_item(owner=owner, item_id=item_id)
        else:
            form = QuantityForm(request.POST)
            if not form.is_valid():
                raise ValidationFailed(gettext("Choose a quantity from 0 to %(max)s.") % {"max": carts.MAX_QUANTITY})
            carts.set_quantity(owner=owner, item_id=item_id, quantity=form.cleaned_data["quantity"])
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("checkout:cart")


# ---------- checkout ----------


def _choices(request: HttpRequest) -> tuple[str, dict[str, str], list[str]]:
    data = request.POST if request.method == "POST" else request.GET
    shipping = {key[len("ship_") :]: value for key, value in data.items() if key.startswith("ship_")}
    codes = services.parse_codes(data.get("codes", ""))
    return data.get("address", ""), shipping, codes


def _address_ids(choice: str) -> dict:
    """The form's address value: an own address's id, or "company-<id>" for one of the company's."""
    if choice.startswith(address_book.COMPANY_CHOICE):
        return {"address_id": None, "company_address_id": choice[len(address_book.COMPANY_CHOICE) :]}
    return {"address_id": choice, "company_address_id": None}


@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    address_choice, shipping, codes = _choices(request)
    error = None
    if request.method == "POST" and request.POST.get("action") == "place":
        try:
            placed = services.place(
                buyer=request.user,
                **_address_ids(address_choice),
                shipping_choices=shipping,
                coupon_codes=codes,
                key=request.POST.get("idempotency_key") or None,
            )
        except DomainError as exc:
            error = exc
        else:
            return redirect(placed.payment_url)
    addresses = selectors.addresses(request.user)
    quote = None
    try:
        quote = services.quote_checkout(buyer=request.user, shipping_choices=shipping, coupon_codes=codes)
    except ValidationFailed as exc:
        if exc.field == "cart" and exc.code != "mixed_currency":
            return redirect("checkout:cart")
        error = error or exc
    except DomainError as exc:
        error = error or exc
    company_addresses = services.company_addresses(request.user, quote)
    chosen = address_book.preselect(addresses, company_addresses, address_choice)
    context = {
        "quote": quote,
        "addresses": addresses,
        "company_addresses": company_addresses,
        "chosen_address": chosen,
        "chosen_choice": getattr(chosen, "choice", None) or (str(chosen.pk) if chosen else ""),
        "codes": " ".join(codes),
        "error": error,
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "checkout/checkout.html", context, status=409 if error and error.status == 409 else 200)


POLLS = 60  # the confirmation page asks once a second for a minute, then offers a "check again" link


def _polls_so_far(request: HttpRequest) -> int:
    value = request.GET.get("poll", "")
    return min(int(value), POLLS) if value.isdigit() else 0


@login_required
def done(request: HttpRequest, checkout_id: int) -> HttpResponse:
    """The confirmation page; while the payment is awaited it polls itself (htmx) so it turns paid at once."""
    try:
        placed, orders = selectors.checkout_for_buyer(request.user, checkout_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    polls = _polls_so_far(request)
    context = {
        "checkout": placed,
        "orders": orders,
        "polling": placed.state == Checkout.State.AWAITING_PAYMENT and polls < POLLS,
        "next_poll": polls + 1,
    }
    return render(request, "checkout/done.html", context)


@login_required
@require_POST
def pay_again(request: HttpRequest, checkout_id: int) -> HttpResponse:
    try:
        url = reactions.retry_payment(buyer=request.user, checkout_id=checkout_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("checkout:done", checkout_id)
    return redirect(url)


@login_required
@require_POST
def pay_order(request: HttpRequest, number: str) -> HttpResponse:
    """ "Pay now" on the buyer's order page: one payment for a placed order waiting for it (a company's prepay
    order, approved or from a quote)."""
    order = Order.objects.filter(number=number, buyer=request.user).first()
    if order is None:
        raise Http404("order not found")
    try:
        placed = services.pay_placed_orders([order], request.user, key=request.POST.get("idempotency_key") or None)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:detail", order.number)
    return redirect(placed.payment_url)


# ---------- address book ----------


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    return render(request, "checkout/addresses.html", {"addresses": selectors.addresses(request.user)})


def _attach(form: AddressForm, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def address_form(request: HttpRequest, address_id: int | None = None) -> HttpResponse:
    try:
        existing = selectors.address(request.user, address_id) if address_id else None
    except NotFound as exc:
        raise Http404(exc.message) from exc
    back = _next(request, reverse("checkout:addresses"))
    if request.method == "POST":
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                saved = address_book.save_address(actor=request.user, data=form.cleaned_data, address_id=address_id)
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(request, gettext("Address saved."))
                separator = "&" if "?" in back else "?"
                return redirect(f"{back}{separator}address={saved.pk}" if back.startswith("/checkout/") else back)
    else:
        initial = {f: getattr(existing, f) for f in AddressForm.base_fields} if existing else None
        form = AddressForm(initial=initial)
    return render(request, "checkout/address_form.html", {"form": form, "address": existing, "next": back})


@login_required
@require_POST
def address_action(request: HttpRequest, address_id: int, action: str) -> HttpResponse:
    try:
        if action == "default":
            address_book.set_default_address(actor=request.user, address_id=address_id)
        elif action == "delete":
            address_book.delete_address(actor=request.user, address_id=address_id)
        else:
            raise Http404("unknown action")
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return redirect("checkout:addresses")
