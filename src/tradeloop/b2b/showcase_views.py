"""The supplier's console section Showcase: edit the company profile company buyers see on the store page, with
the response figures as buyers see them and a link to the page. Thin: the form parses, showcase.py decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.accounts.models import Organization
from tradeloop.b2b import showcase
from tradeloop.b2b.rfq_forms import attach
from tradeloop.b2b.showcase_forms import ShowcaseForm
from tradeloop.core.errors import ValidationFailed

SECTION = "b2b:console_showcase"


@console_page(showcase.EDIT, section=SECTION)
def console_showcase(request: HttpRequest, console: Console) -> HttpResponse:
    supplier = console.organization
    if supplier.kind != Organization.Kind.SUPPLIER:
        raise Http404("only a supplier has a showcase")
    profile = showcase.own_profile(request.user, supplier)
    status = 200
    if request.method == "POST":
        form = ShowcaseForm(request.POST)
        if form.is_valid():
            try:
                showcase.save_profile(actor=request.user, supplier=supplier, data=form.to_input())
            except ValidationFailed as error:
                attach(form, error)
            else:
                messages.success(request, gettext("Your showcase is saved."))
                return redirect(SECTION, supplier.pk)
        status = 400
    else:
        form = ShowcaseForm(initial=ShowcaseForm.initial_from(profile))
    context = {
        "form": form,
        "profile": profile,
        "response": showcase.response_figures(supplier),
        "min_inquiries": showcase.MIN_INQUIRIES,
        "store_url": reverse("storefront:store", args=[supplier.slug]),
    }
    return console.render(request, "b2b/showcase/console.html", context, status=status)
