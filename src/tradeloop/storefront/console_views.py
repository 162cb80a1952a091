"""Seller console pages for store decoration (capability org.manage): sections, order, colours, preview, publish."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.catalog import selectors as catalog_selectors
from tradeloop.catalog.models import Product
from tradeloop.core.errors import DomainError, NotFound
from tradeloop.storefront import design as services
from tradeloop.storefront import design_selectors
from tradeloop.storefront.design_forms import SECTION_LABELS, AddSectionForm, ColoursForm, SectionForm

SECTION = "store_design:edit"


def _products(request: HttpRequest, console: Console) -> list[Product]:
    return design_selectors.products_to_feature(actor=request.user, seller=console.organization)


def _section_forms(
    request: HttpRequest, console: Console, design, bound: tuple[int, SectionForm] | None = None
) -> list[dict]:
    products, categories = _products(request, console), catalog_selectors.categories()
    rows = []
    for index, section in enumerate(design.draft_sections):
        if bound and bound[0] == index:
            form = bound[1]
        else:
            form = SectionForm(section=section, products=products, categories=categories, prefix=f"s{index}")
        rows.append({"index": index, "type": section["type"], "label": SECTION_LABELS[section["type"]], "form": form})
    return rows


def _page(request: HttpRequest, console: Console, *, colours=None, bound=None, status=200) -> HttpResponse:
    design = services.design_of(console.organization)
    colours = colours or ColoursForm(
        initial={"primary_colour": design.primary_colour, "accent_colour": design.accent_colour}
    )
    return console.render(
        request,
        "storefront/console_design.html",
        {
            "design": design,
            "colours": colours,
            "add_form": AddSectionForm(),
            "sections": _section_forms(request, console, design, bound),
            "unpublished": design.draft_sections != design.published_sections
            or (design.primary_colour, design.accent_colour) != (design.published_primary, design.published_accent),
            "preview_url": reverse("storefront:store", args=[console.organization.slug]) + "?preview=1",
        },
        status=status,
    )


@console_page(services.MANAGE, section=SECTION)
def design(request: HttpRequest, console: Console) -> HttpResponse:
    return _page(request, console)


def _back(console: Console) -> HttpResponse:
    return redirect(SECTION, console.organization.pk)


def _index(request: HttpRequest) -> int:
    value = request.POST.get("index", "")
    if not value.isdigit():
        raise NotFound("section not found")
    return int(value)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def colours(request: HttpRequest, console: Console) -> HttpResponse:
    form = ColoursForm(request.POST)
    if form.is_valid():
        try:
            result = services.set_colours(
                actor=request.user,
                seller=console.organization,
                primary=form.cleaned_data["primary_colour"],
                accent=form.cleaned_data["accent_colour"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, gettext("Colours saved in the draft."))
            return _back(console)
    return _page(request, console, colours=form, status=400)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def add_section(request: HttpRequest, console: Console) -> HttpResponse:
    form = AddSectionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(gettext("Choose a section type."))
    try:
        services.add_section(actor=request.user, seller=console.organization, kind=form.cleaned_data["type"])
    except DomainError as error:
        messages.error(request, error.message)
    return _back(console)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def edit_section(request: HttpRequest, console: Console) -> HttpResponse:
    index = _index(request)
    design = services.design_of(console.organization)
    if index >= len(design.draft_sections):
        raise NotFound("section not found")
    form = SectionForm(
        request.POST,
        request.FILES,
        section=design.draft_sections[index],
        products=_products(request, console),
        categories=catalog_selectors.categories(),
        prefix=f"s{index}",
    )
    if form.is_valid():
        try:
            services.update_section(
                actor=request.user,
                seller=console.organization,
                index=index,
                data=form.data_for_service(),
                upload=form.cleaned_data.get("image"),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, gettext("Section saved in the draft."))
            return _back(console)
    return _page(request, console, bound=(index, form), status=400)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def move_section(request: HttpRequest, console: Console) -> HttpResponse:
    try:
        services.move_section(
            actor=request.user,
            seller=console.organization,
            index=_index(request),
            direction=request.POST.get("direction", ""),
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return HttpResponseBadRequest(error.message)
    return _back(console)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def remove_section(request: HttpRequest, console: Console) -> HttpResponse:
    services.remove_section(actor=request.user, seller=console.organization, index=_index(request))
    messages.success(request, gettext("Section removed from the draft."))
    return _back(console)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def publish(request: HttpRequest, console: Console) -> HttpResponse:
    services.publish(actor=request.user, seller=console.organization)
    messages.success(request, gettext("Your store page is published."))
    return _back(console)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def discard(request: HttpRequest, console: Console) -> HttpResponse:
    services.discard_draft(actor=request.user, seller=console.organization)
    messages.success(request, gettext("Unpublished changes discarded."))
    return _back(console)
