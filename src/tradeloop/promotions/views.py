"""Seller console pages for promotions and coupons (capability catalog.manage). Thin: forms parse, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.catalog import selectors as catalog_selectors
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, ValidationFailed
from tradeloop.promotions import selectors, services
from tradeloop.promotions.forms import FlashSaleForm, PromotionForm, attach
from tradeloop.promotions.models import Promotion

SECTION = "promotions:list"
PER_PAGE = 25
TABS = (
    ("", _("All")),
    ("running", _("Running")),
    ("scheduled", _("Scheduled")),
    ("ended", _("Ended")),
    ("off", _("Switched off")),
)
STATUS_BADGES = {"running": "badge-success", "scheduled": "badge-warning", "ended": "badge-muted", "off": "badge-muted"}


@console_page(services.MANAGE, section=SECTION)
def promotion_list(request: HttpRequest, console: Console) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in dict(TABS) else ""
    now = clock.now()
    try:
        page = selectors.seller_promotions(
            actor=request.user,
            seller=console.organization,
            now=now,
            status=status,
            cursor=request.GET.get("cursor") or None,
            limit=PER_PAGE,
        )
    except ValidationFailed:  # a stale or damaged cursor: start again
        page = selectors.seller_promotions(
            actor=request.user, seller=console.organization, now=now, status=status, limit=PER_PAGE
        )
    rows = [(p, selectors.status_of(p, now)) for p in page.items]
    return console.render(
        request,
        "promotions/console_list.html",
        {
            "page": page,
            "rows": [(p, s, STATUS_BADGES[s]) for p, s in rows],
            "tabs": TABS,
            "status": status,
        },
    )


def _choices(request: HttpRequest, console: Console) -> dict:
    return {
        "categories": catalog_selectors.categories(),
        "products": selectors.products_to_choose(actor=request.user, seller=console.organization),
    }


def _promotion_form_page(request: HttpRequest, console: Console, promotion: Promotion | None) -> HttpResponse:
    org = console.organization
    if request.method == "POST":
        form = PromotionForm(request.POST, **_choices(request, console))
        if form.is_valid():
            try:
                if promotion is None:
                    saved = services.create_promotion(actor=request.user, seller=org, data=form.to_input())
                else:
                    saved = services.update_promotion(
                        actor=request.user, seller=org, promotion_id=promotion.pk, data=form.to_input()
                    )
            except (ValidationFailed, DomainError) as error:
                if error.status == 404:
                    raise
                attach(form, error)
            else:
                messages.success(request, gettext("“%(name)s” is saved.") % {"name": saved.name})
                return redirect("promotions:list", org.pk)
        status = 400
    else:
        initial = PromotionForm.initial_for(promotion) if promotion else {"currency": org.currency, "is_public": True}
        form = PromotionForm(initial=initial, **_choices(request, console))
        status = 200
    return console.render(
        request, "promotions/console_form.html", {"form": form, "promotion": promotion}, status=status
    )


@console_page(services.MANAGE, section=SECTION)
def promotion_create(request: HttpRequest, console: Console) -> HttpResponse:
    return _promotion_form_page(request, console, None)


@console_page(services.MANAGE, section=SECTION)
def promotion_edit(request: HttpRequest, console: Console, promotion_id: int) -> HttpResponse:
    promotion = selectors.seller_promotion_detail(
        actor=request.user, seller=console.organization, promotion_id=promotion_id
    )
    return _promotion_form_page(request, console, promotion)


@console_page(services.MANAGE, section=SECTION)
def flash_sale_create(request: HttpRequest, console: Console) -> HttpResponse:
    org = console.organization
    products = selectors.products_to_choose(actor=request.user, seller=org)
    status = 200
    if request.method == "POST":
        form = FlashSaleForm(request.POST, products=products)
        if form.is_valid():
            try:
                saved = services.create_promotion(actor=request.user, seller=org, data=form.to_input())
            except DomainError as error:
                attach(form, error)
            else:
                messages.success(request, gettext("Flash sale “%(name)s” is saved.") % {"name": saved.name})
                return redirect("promotions:list", org.pk)
        status = 400
    else:
        form = FlashSaleForm(initial={"currency": org.currency}, products=products)
    return console.render(request, "promotions/console_flash_form.html", {"form": form}, status=status)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def promotion_active(request: HttpRequest, console: Console, promotion_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    promotion = services.set_active(
        actor=request.user, seller=console.organization, promotion_id=promotion_id, active=active
    )
    done = gettext("“%(name)s” is switched on.") if active else gettext("“%(name)s” is switched off.")
    messages.success(request, done % {"name": promotion.name})
    return redirect("promotions:list", console.organization.pk)
