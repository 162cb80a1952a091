"""The console's redemption pages, made for a phone at the counter: /console/<org>/redeem/ (choose the place, type
or scan the code, see what it is for, Confirm; Undo for an hour) and the redemption log per place."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.o2o import redemption
from tradeloop.o2o import redemption_selectors as selectors
from tradeloop.o2o.models import Voucher
from tradeloop.o2o.redemption_forms import RedeemForm

SECTION = "o2o:console_redeem"
LOG_SECTION = "o2o:console_redemptions"


def _place_key(org_id: int) -> str:
    return f"o2o_redeem_place:{org_id}"


def _remembered_place(request: HttpRequest, console: Console, places) -> int | None:
    wanted = request.session.get(_place_key(console.organization.pk))
    ids = [p.pk for p in places]
    return wanted if wanted in ids else (ids[0] if ids else None)


@console_page(redemption.CAPABILITY, section=SECTION)
def console_redeem(request: HttpRequest, console: Console) -> HttpResponse:
    places = selectors.redeeming_places(actor=request.user, organization_id=console.organization.pk)
    form = RedeemForm(
        request.POST or None, initial={"place": _remembered_place(request, console, places)}, places=places
    )
    context: dict = {"form": form, "places": places}
    status = 200
    if request.method == "POST" and form.is_valid():
        place_id, code = form.cleaned_data["place"], form.cleaned_data["code"]
        request.session[_place_key(console.organization.pk)] = place_id
        try:
            if request.POST.get("action") == "confirm":
                voucher = redemption.redeem(actor=request.user, place_id=place_id, code=code)
                context["redeemed"] = _redeemed(voucher.pk)
                form = RedeemForm(initial={"place": place_id}, places=places)  # ready for the next customer
                context["form"] = form
            else:
                context["preview"] = redemption.preview(actor=request.user, place_id=place_id, code=code)
        except DomainError as exc:
            form.add_error("code", exc.message)
            status = exc.status
    elif form.errors:
        status = 400
    return console.render(request, "o2o/redeem.html", context, status=status)


def _redeemed(voucher_id: int) -> Voucher:
    return Voucher.objects.select_related("deal__product", "buyer", "redeemed_place").get(pk=voucher_id)


def _back(request: HttpRequest, console: Console) -> str:
    wanted = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse(LOG_SECTION, args=[console.organization.pk])


@require_POST
@console_page(redemption.CAPABILITY, section=SECTION)
def console_undo(request: HttpRequest, console: Console, voucher_id: int) -> HttpResponse:
    try:
        redemption.undo(actor=request.user, voucher_id=voucher_id)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Redemption undone: the voucher can be used again."))
    return redirect(_back(request, console))


@console_page(redemption.CAPABILITY, section=SECTION)
def console_redemptions(request: HttpRequest, console: Console) -> HttpResponse:
    places = selectors.redeeming_places(actor=request.user, organization_id=console.organization.pk)
    place_id = request.GET.get("place")
    place_id = int(place_id) if place_id and place_id.isdigit() and int(place_id) in {p.pk for p in places} else None
    args = {"actor": request.user, "organization_id": console.organization.pk, "place_id": place_id}
    try:
        page = selectors.redemptions(**args, cursor=request.GET.get("after") or None)
    except ValidationFailed:
        page = selectors.redemptions(**args)
    rows = [(voucher, redemption.undoable(voucher)) for voucher in page.items]
    return console.render(
        request, "o2o/redeem_log.html", {"page": page, "rows": rows, "places": places, "place_id": place_id}
    )
