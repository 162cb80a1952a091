"""Make-an-offer pages: the offer box posts here, an offer's thread (versions, countdown, the answers for whoever's
turn it is, the order to pay once accepted), "My offers" (made / received) and the seller's offers on one listing
with the auto rules. Thin: forms parse, c2c.offers decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.c2c import offer_selectors as selectors
from tradeloop.c2c import offers
from tradeloop.c2c.offer_forms import CounterForm, OfferForm, RulesForm, attach
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.negotiation.models import Negotiation, Side
from tradeloop.orders.models import Order

PAGE_SIZE = 20
TABS = (("made", _("Offers I made")), ("received", _("Offers I received")))


def _back(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return fallback


@login_required
@require_POST
def offer_new(request: HttpRequest, product_id: int) -> HttpResponse:
    """The offer box's form: a new offer on a listing, then its thread (or back to the listing with the reason)."""
    form = OfferForm(request.POST)
    product = Product.objects.filter(pk=product_id).only("pk", "slug").first()
    if product is None:
        raise Http404("listing not found")
    back = _back(request, reverse("storefront:product", args=[product.pk, product.slug]))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        offer = offers.make_offer(
            actor=request.user,
            product_id=product_id,
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if offer.state == Negotiation.State.ACCEPTED:
        messages.success(request, gettext("The seller accepted your offer: pay for the order to complete it."))
    elif offer.state == Negotiation.State.DECLINED:
        messages.error(request, gettext("The seller declined your offer."))
    else:
        messages.success(request, gettext("Your offer is sent: the seller has 48 hours to answer."))
    return redirect("c2c:offer", offer.pk)


def _thread(request: HttpRequest, offer_id: int) -> Negotiation:
    try:
        return selectors.offer_thread(request.user, offer_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _detail(request: HttpRequest, offer: Negotiation, form: CounterForm | None = None, status: int = 200):
    side = selectors.side_of(request.user, offer)
    turn = selectors.turn(offer)
    versions = [(v, selectors.amount_of(v)) for v in offer.versions]
    order = None
    if offer.result_ref:
        order = Order.objects.filter(number=offer.result_ref).only("pk", "number", "state", "total", "currency").first()
    listing = getattr(offer.product, "listing", None)
    context = {
        "offer": offer,
        "listing": listing,
        "side": side,
        "my_turn": turn == side,
        "versions": versions,
        "current_amount": versions[-1][1] if versions else None,
        "can_withdraw": offer.state == Negotiation.State.OPEN and turn is not None and turn != side,
        "form": form or CounterForm(),
        "order": order,
        "awaiting_payment": order is not None and order.state == Order.State.PENDING_PAYMENT and side == Side.BUYER,
        "now": clock.now(),
    }
    return render(request, "c2c/offer_detail.html", context, status=status)


@login_required
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _detail(request, _thread(request, offer_id))


@login_required
@require_POST
def offer_action(request: HttpRequest, offer_id: int, action: str) -> HttpResponse:
    offer = _thread(request, offer_id)
    version = int(request.POST.get("version") or 0) if str(request.POST.get("version", "")).isdigit() else 0
    try:
        if action == "counter":
            form = CounterForm(request.POST)
            if not form.is_valid():
                return _detail(request, offer, form, status=400)
            try:
                offers.counter(
                    actor=request.user,
                    offer_id=offer.pk,
                    version=version,
                    amount=form.cleaned_data["amount"],
                    note=form.cleaned_data["note"],
                )
            except ValidationFailed as exc:
                attach(form, exc)
                return _detail(request, offer, form, status=400)
            messages.success(request, gettext("Your counter-offer is sent."))
        elif action == "accept":
            done = offers.accept(
                actor=request.user, offer_id=offer.pk, version=version, key=request.POST.get("idempotency_key") or None
            )
            messages.success(
                request, gettext("Offer accepted: order %(number)s is placed.") % {"number": done.result_ref}
            )
        elif action == "decline":
            offers.decline(actor=request.user, offer_id=offer.pk, version=version or None)
            messages.success(request, gettext("Offer declined."))
        elif action == "withdraw":
            offers.withdraw(actor=request.user, offer_id=offer.pk, version=version or None)
            messages.success(request, gettext("Your offer is withdrawn."))
        else:
            raise Http404("no such action")
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("c2c:offer", offer.pk)


@login_required
def my_offers(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(TABS) else "made"
    side = Side.BUYER if tab == "made" else Side.SELLER
    try:
        page = selectors.offers_page(request.user, side=side, cursor=request.GET.get("after"), limit=PAGE_SIZE)
    except ValidationFailed:
        page = selectors.offers_page(request.user, side=side, limit=PAGE_SIZE)
    rows = [(o, selectors.amount_of(o.versions[-1]) if o.versions else None, selectors.turn(o)) for o in page.items]
    context = {"tabs": TABS, "tab": tab, "side": side, "page": page, "rows": rows}
    return render(request, "c2c/offer_list.html", context)


@login_required
def listing_offers(request: HttpRequest, listing_id: int) -> HttpResponse:
    """The seller's offers on one listing and the auto rules (a buyer is sent to their own offers)."""
    try:
        listing, page = selectors.listing_offers(request.user, listing_id, cursor=None, limit=100)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not selectors.sells(request.user, listing):
        raise Http404("listing not found")
    initial = {"auto_accept_at": listing.auto_accept_at, "auto_decline_below": listing.auto_decline_below}
    form = RulesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                offers.set_offer_rules(actor=request.user, listing_id=listing.pk, **form.cleaned_data)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainError as exc:
                attach(form, exc)
            else:
                messages.success(request, gettext("Your offer rules are saved."))
                return redirect("c2c:listing_offers", listing.pk)
        status = 400
    rows = [(o, selectors.amount_of(o.versions[-1]) if o.versions else None, selectors.turn(o)) for o in page.items]
    variant = listing.product.variants.all()[0]
    context = {"listing": listing, "rows": rows, "form": form, "asking": variant.price, "currency": variant.currency}
    return render(request, "c2c/offer_listing.html", context, status=status)
