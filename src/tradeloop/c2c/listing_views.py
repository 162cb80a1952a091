"""Web pages of private listings: /sell/item/ (list an item in a minute), /sell/listings/ (My listings: on sale,
sold, ended; renew, withdraw, edit) and the listing page's "Buy now" (the C2C order, then its payment)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from tradeloop.c2c import listing_selectors as selectors
from tradeloop.c2c import listings
from tradeloop.c2c.errors import Code
from tradeloop.c2c.listing_forms import ListingForm, attach
from tradeloop.c2c.models import Listing
from tradeloop.checkout import services as checkout
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed

PER_PAGE = 24
TABS = ("active", "sold", "ended")


def _product_url(listing: Listing) -> str:
    return reverse("storefront:product", args=[listing.product.pk, listing.product.slug])


@login_required
def sell_item(request: HttpRequest) -> HttpResponse:
    """One page: photos, what it is, the price, how it changes hands; on sale at once."""
    form = ListingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing = listings.create_listing(
                actor=request.user,
                photos=request.FILES.getlist("photos"),
                language=get_language(),
                **form.values(),
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, gettext("Your item is on sale."))
            return redirect(_product_url(listing))
    status = 400 if form.errors else 200
    return render(request, "c2c/listing_form.html", {"form": form, "editing": None}, status=status)


@login_required
@require_GET
def my_listings(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "active"
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.my_listings(actor=request.user, tab=tab, cursor=cursor, limit=PER_PAGE)
    except ValidationFailed:  # a damaged or stale cursor: the first page
        page = selectors.my_listings(actor=request.user, tab=tab, limit=PER_PAGE)
    for item in page.items:
        item.can_renew = listings.renewable(item)
    return render(request, "c2c/listing_mine.html", {"tab": tab, "page": page})


def _initial(listing: Listing) -> dict:
    product = listing.product
    variant = product.variants.all()[0] if product.variants.all() else None
    from django.utils.html import strip_tags

    return {
        "title": product.display_title,
        "description": strip_tags(product.display_description.replace("</p>", "\n\n").replace("<br>", "\n")).strip(),
        "condition": product.condition,
        "category": product.category_id,
        "price": variant.price if variant else None,
        "ships": listing.ships,
        "delivery_speed": listing.delivery_speed,
        "shipping_fee": listing.shipping_fee,
        "local_pickup": listing.local_pickup,
        "city": listing.city,
        "district": listing.district,
    }


@login_required
def edit_listing(request: HttpRequest, listing_id: int) -> HttpResponse:
    try:
        listing = selectors.own_listing(actor=request.user, listing_id=listing_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ListingForm(request.POST or None, initial=_initial(listing), editing=True)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.values().items() if k in form.changed_data or k == "price"}
        try:
            listings.update_listing(actor=request.user, listing_id=listing.pk, language=get_language(), **values)
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, gettext("Your listing is saved."))
            return redirect("c2c:my_listings")
    status = 400 if form.errors else 200
    return render(request, "c2c/listing_form.html", {"form": form, "editing": listing}, status=status)


@login_required
@require_POST
def listing_action(request: HttpRequest, listing_id: int, action: str) -> HttpResponse:
    run = {"renew": listings.renew, "withdraw": listings.withdraw}.get(action)
    if run is None:
        raise Http404("no such action")
    try:
        run(actor=request.user, listing_id=listing_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, gettext("Your listing is on sale again.") if action == "renew" else gettext("Listing withdrawn.")
        )
    return redirect(f"{reverse('c2c:my_listings')}?tab={request.POST.get('tab') or 'active'}")


@login_required
@require_POST
def buy_now(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Buy now: the order at the asking price, then straight into its payment."""
    try:
        listing = selectors.public_listing(listing_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    back = _product_url(listing)
    try:
        order = listings.buy_now(
            actor=request.user, listing_id=listing.pk, key=request.POST.get("idempotency_key") or None
        )
    except DomainError as exc:
        if exc.code == Code.ADDRESS_NEEDED:
            messages.info(request, gettext("Add your delivery address, then press Buy now again."))
            return redirect(f"{reverse('checkout:address_new')}?{urlencode({'next': back})}")
        messages.error(request, exc.message)
        return redirect(back)
    try:
        placed = checkout.pay_placed_orders([order], request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:detail", order.number)
    return redirect(placed.payment_url)
