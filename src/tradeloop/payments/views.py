"""Web pages of the money layer: the sandbox gateway's hosted payment page and the console's Payouts page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core.errors import NotFound
from tradeloop.payments import holds, selectors, services
from tradeloop.payments.models import Payment
from tradeloop.payments.providers import sandbox

PAYOUTS = "payments:console_payouts"
PAYOUT_HISTORY_ROWS = 50


# --- the sandbox gateway's hosted page ---------------------------------------------------------------------------


def _back_to_shop(request: HttpRequest, payment: Payment) -> str:
    wanted = payment.return_url or "/"
    return wanted if url_has_allowed_host_and_scheme(wanted, {request.get_host()}) else "/"


def sandbox_page(request: HttpRequest, token: str) -> HttpResponse:
    """What the buyer sees at the gateway: which stores are paid for what, how much, and Pay / Decline (or walk away:
    timeout)."""
    try:
        payment = selectors.payment_by_token(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if payment.provider != sandbox.CODE:
        raise Http404("not a sandbox payment")
    open_for_decision = payment.state == Payment.State.PENDING and sandbox.decided(token) is None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in {"pay", "decline"}:
            return HttpResponseBadRequest(gettext("Choose Pay or Decline."))
        if open_for_decision:
            (sandbox.pay if action == "pay" else sandbox.decline)(payment)
        return redirect(_back_to_shop(request, payment))
    context = {
        "payment": payment,
        "shares": selectors.what_it_pays(payment),
        "open_for_decision": open_for_decision,
        "decision": sandbox.decided(token),
        "back_url": _back_to_shop(request, payment),
    }
    return render(request, "payments/sandbox_page.html", context)


# --- console: payouts --------------------------------------------------------------------------------------------


def _holds_of(seller) -> list[dict]:
    """Why this seller's payouts wait (payments.holds), with a link to lift each hold."""
    found = []
    for hold in holds.reasons(seller):
        try:
            url = reverse(hold.url_name, args=[seller.pk]) if hold.url_name else ""
        except NoReverseMatch:
            url = ""
        found.append({"reason": hold.reason, "url": url})
    return found


@console_page("finance.view", section=PAYOUTS)
def console_payouts(request: HttpRequest, console: Console) -> HttpResponse:
    overview = selectors.payouts_overview(actor=request.user, seller=console.organization, limit=PAYOUT_HISTORY_ROWS)
    context = {
        "balances": sorted(overview.balances.items()),
        "payouts": overview.payouts,
        "can_request": console.can("finance.manage"),
        "has_available": overview.has_available,
        "holds": _holds_of(console.organization),
    }
    return console.render(request, "payments/console_payouts.html", context)


@require_POST
@console_page("finance.manage", section=PAYOUTS)
def console_request_payout(request: HttpRequest, console: Console) -> HttpResponse:
    paid = services.request_payout(actor=request.user, seller=console.organization)
    if paid:
        messages.success(
            request,
            ngettext("%(count)d payout sent.", "%(count)d payouts sent.", len(paid)) % {"count": len(paid)},
        )
    else:
        messages.info(request, gettext("There is no available balance to pay out."))
    return redirect(PAYOUTS, console.organization.pk)
