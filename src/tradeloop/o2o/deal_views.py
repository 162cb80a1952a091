"""Web pages of deals: the deal page (/local/deals/<id>/: price, countdown, progress to the tipping point, places,
rules, Buy), Buy (the O2O order, then its payment), and the console's deals (list, new, edit, publish, withdraw)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.checkout import services as checkout
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.o2o import deal_selectors as selectors
from tradeloop.o2o import deals
from tradeloop.o2o.deal_forms import BuyForm, DealForm, attach
from tradeloop.o2o.models import Deal

SECTION = "o2o:console_deals"


def deal_page(request: HttpRequest, deal_id: int) -> HttpResponse:
    try:
        deal = selectors.public_deal(deal_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    price, original = deals.prices_of(deal)
    held = deals.units_held(request.user, deal) if request.user.is_authenticated else 0
    return render(
        request,
        "o2o/deal_detail.html",
        {
            "deal": deal,
            "product": deal.product,
            "images": list(deal.product.images.all()),
            "places": list(deal.places.all()),
            "price": price,
            "original": original,
            "discount": deals.discount_percent(price, original),
            "progress": deals.progress(deal),
            "on_sale": deals.on_sale(deal),
            "left": None if deal.stock_cap is None else max(0, deal.stock_cap - deal.sold_count),
            "can_buy_more": max(0, deal.per_person_limit - held),
            "form": BuyForm(),
            "now": clock.now(),
        },
    )


@login_required
@require_POST
def buy(request: HttpRequest, deal_id: int) -> HttpResponse:
    """Buy: the order of the vouchers, then straight into its payment."""
    back = reverse("o2o:deal", args=[deal_id])
    form = BuyForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose how many vouchers you want."))
        return redirect(back)
    try:
        order = deals.buy(
            actor=request.user,
            deal_id=deal_id,
            quantity=form.cleaned_data["quantity"],
            key=request.POST.get("idempotency_key") or None,
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    try:
        placed = checkout.pay_placed_orders([order], request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:detail", order.number)
    return redirect(placed.payment_url)


# --- the console --------------------------------------------------------------------------------------------------


@console_page("catalog.manage", section=SECTION)
def console_deals(request: HttpRequest, console: Console) -> HttpResponse:
    try:
        page = selectors.seller_deals(
            actor=request.user, organization_id=console.organization.pk, cursor=request.GET.get("after") or None
        )
    except ValidationFailed:
        page = selectors.seller_deals(actor=request.user, organization_id=console.organization.pk)
    rows = [(deal, deals.progress(deal), *deals.prices_of(deal), selectors.figures(deal)) for deal in page.items]
    return console.render(request, "o2o/deal_console.html", {"page": page, "rows": rows, "now": clock.now()})


def _initial(deal: Deal) -> dict:
    product = deal.product
    price, original = deals.prices_of(deal)

    def plain(html: str) -> str:
        return strip_tags(html.replace("</p>", "\n\n").replace("<br>", "\n")).strip()

    return {
        "title": product.title,
        "title_zh": product.title_zh,
        "description": plain(product.description),
        "description_zh": plain(product.description_zh),
        "price": price,
        "original_price": original,
        "place_ids": [p.pk for p in deal.places.all()],
        **{name: getattr(deal, name) for name in deals.DEAL_FIELDS},
    }


def _deal_form(request: HttpRequest, console: Console, deal: Deal | None) -> HttpResponse:
    places = selectors.own_places(actor=request.user, organization_id=console.organization.pk)
    initial = _initial(deal) if deal else {}
    form = DealForm(request.POST or None, initial=initial, places=places)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            if deal is None:
                deal = deals.create_deal(actor=request.user, organization_id=console.organization.pk, **values)
                messages.success(request, gettext("Deal saved as a draft: publish it to put it on sale."))
            else:
                changed = {k: v for k, v in values.items() if k in form.changed_data}
                deals.update_deal(actor=request.user, deal_id=deal.pk, **changed)
                messages.success(request, gettext("Deal saved."))
        except DomainError as exc:
            attach(form, exc)
        else:
            return redirect(SECTION, console.organization.pk)
    status = 400 if form.errors else 200
    return console.render(
        request, "o2o/deal_form.html", {"form": form, "deal": deal, "has_places": bool(places)}, status=status
    )


@console_page("catalog.manage", section=SECTION)
def console_deal_new(request: HttpRequest, console: Console) -> HttpResponse:
    return _deal_form(request, console, None)


@console_page("catalog.manage", section=SECTION)
def console_deal_edit(request: HttpRequest, console: Console, deal_id: int) -> HttpResponse:
    deal = selectors.seller_deal(actor=request.user, deal_id=deal_id)
    if deal.product.seller_id != console.organization.pk:
        raise Http404("deal not found")
    return _deal_form(request, console, deal)


ACTIONS = {"publish": deals.publish, "withdraw": deals.withdraw}


@require_POST
@console_page("catalog.manage", section=SECTION)
def console_deal_action(request: HttpRequest, console: Console, deal_id: int, action: str) -> HttpResponse:
    run = ACTIONS.get(action)
    deal = selectors.seller_deal(actor=request.user, deal_id=deal_id)
    if run is None or deal.product.seller_id != console.organization.pk:
        raise Http404("no such action")
    try:
        run(actor=request.user, deal_id=deal.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, gettext("The deal is on sale.") if action == "publish" else gettext("Deal withdrawn.")
        )
    return redirect(SECTION, console.organization.pk)
