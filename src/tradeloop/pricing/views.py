"""Seller console pages for price lists and for tiers & minimum orders (capability catalog.manage). Thin: forms
parse, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, ValidationFailed
from tradeloop.core.pagination import keyset_page
from tradeloop.pricing import selectors, services
from tradeloop.pricing.forms import PriceListForm, TiersForm, attach
from tradeloop.pricing.models import PriceList

SECTION = "pricing:console_price_lists"
PER_PAGE = 25


def _page(request: HttpRequest, load):
    try:
        return load(request.GET.get("cursor") or None)
    except ValidationFailed:  # a stale or damaged cursor: start again
        return load(None)


def _state(price_list: PriceList, now) -> str:
    if not price_list.is_active:
        return "off"
    if price_list.valid_from and price_list.valid_from > now:
        return "scheduled"
    if price_list.valid_until and price_list.valid_until <= now:
        return "ended"
    return "valid"


@console_page(selectors.MANAGE, section=SECTION)
def price_lists(request: HttpRequest, console: Console) -> HttpResponse:
    org, now = console.organization, clock.now()
    page = _page(
        request,
        lambda cursor: selectors.seller_price_lists(actor=request.user, seller=org, cursor=cursor, limit=PER_PAGE),
    )
    rows = [(p, _state(p, now)) for p in page.items]
    return console.render(request, "pricing/console_price_lists.html", {"page": page, "rows": rows})


def _form_page(request: HttpRequest, console: Console, price_list: PriceList | None) -> HttpResponse:
    org = console.organization
    status = 200
    if request.method == "POST":
        form = PriceListForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_price_list(
                    actor=request.user,
                    seller=org,
                    price_list_id=price_list.pk if price_list else None,
                    data=form.to_input(),
                    buyers=form.cleaned_data["buyers"],
                    entries=form.cleaned_data["entries"],
                )
            except DomainError as error:
                if error.status == 404 and error.field is None:
                    raise
                attach(form, error)
            else:
                messages.success(request, gettext("“%(name)s” is saved.") % {"name": saved.name})
                return redirect("pricing:console_price_lists", org.pk)
        status = 400
    elif price_list is not None:
        entries = selectors.all_entries(price_list)
        form = PriceListForm(initial=PriceListForm.initial_for(price_list, entries, price_list.buyers.all()))
    else:
        form = PriceListForm(initial={"currency": org.currency, "priority": 0, "is_active": True})
    context = {"form": form, "price_list": price_list}
    if price_list is not None:
        context["buyers"] = list(price_list.buyers.all())
    return console.render(request, "pricing/console_price_list_form.html", context, status=status)


@console_page(selectors.MANAGE, section=SECTION)
def price_list_create(request: HttpRequest, console: Console) -> HttpResponse:
    return _form_page(request, console, None)


@console_page(selectors.MANAGE, section=SECTION)
def price_list_edit(request: HttpRequest, console: Console, price_list_id: int) -> HttpResponse:
    price_list = selectors.price_list_detail(
        actor=request.user, seller=console.organization, price_list_id=price_list_id
    )
    return _form_page(request, console, price_list)


@require_POST
@console_page(selectors.MANAGE, section=SECTION)
def price_list_delete(request: HttpRequest, console: Console, price_list_id: int) -> HttpResponse:
    org = console.organization
    price_list = selectors.seller_price_list(actor=request.user, seller=org, price_list_id=price_list_id)
    services.delete_price_list(actor=request.user, seller=org, price_list_id=price_list.pk)
    messages.success(request, gettext("“%(name)s” is deleted.") % {"name": price_list.name})
    return redirect("pricing:console_price_lists", org.pk)


@console_page(selectors.MANAGE, section=SECTION)
def tier_products(request: HttpRequest, console: Console) -> HttpResponse:
    """The seller's products, to choose one whose tiers and minimum order to edit."""
    org = console.organization
    qs = Product.objects.filter(seller=org, kind=Product.Kind.PHYSICAL)
    page = _page(request, lambda cursor: keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=PER_PAGE))
    return console.render(request, "pricing/console_tier_products.html", {"page": page})


@console_page(selectors.MANAGE, section=SECTION)
def product_tiers(request: HttpRequest, console: Console, product_id: int) -> HttpResponse:
    """Tiers and minimum order of every variant of one product: one form per variant (prefix v<id>)."""
    org = console.organization
    variants = selectors.product_variants(actor=request.user, seller=org, product_id=product_id)
    product = variants[0].product if variants else Product.objects.get(pk=product_id, seller=org)
    status = 200
    saved_variant = request.POST.get("variant") if request.method == "POST" else None
    forms = []
    for variant in variants:
        rule = variant._state.fields_cache.get("order_rule")
        prefix = f"v{variant.pk}"
        if saved_variant == str(variant.pk):
            form = TiersForm(request.POST, prefix=prefix)
            if form.is_valid():
                try:
                    services.update_tiers_and_rule(
                        actor=request.user,
                        seller=org,
                        variant_id=variant.pk,
                        tiers=form.cleaned_data["tiers"],
                        min_quantity=form.cleaned_data["min_quantity"],
                        multiple=form.cleaned_data["multiple"],
                    )
                except DomainError as error:
                    attach(form, error)
                else:
                    messages.success(request, gettext("The prices of %(sku)s are saved.") % {"sku": variant.sku})
                    return redirect("pricing:console_product_tiers", org.pk, product.pk)
            status = 400
        else:
            form = TiersForm(initial=TiersForm.initial_for(variant, rule), prefix=prefix)
        forms.append((variant, form))
    return console.render(
        request, "pricing/console_product_tiers.html", {"product": product, "forms": forms}, status=status
    )
