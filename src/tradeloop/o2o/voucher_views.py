"""The buyer's voucher pages: /local/vouchers/ (by state) and one voucher (a big QR code, the code in groups,
what it is for, where and until when, printable, Refund when allowed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.o2o import review_records, vouchers
from tradeloop.o2o import voucher_selectors as selectors
from tradeloop.o2o.models import Voucher

TABS = tuple(selectors.TABS)


@login_required
@require_GET
def my_vouchers(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "usable"
    cursor = request.GET.get("after") or None
    try:
        page = selectors.my_vouchers(actor=request.user, tab=tab, cursor=cursor)
    except ValidationFailed:  # a damaged or stale cursor: the first page
        page = selectors.my_vouchers(actor=request.user, tab=tab)
    _attach_visit_reviews(request, page.items)
    return render(request, "o2o/voucher_list.html", {"tab": tab, "page": page})


def _visit_reviews(request: HttpRequest, found: list[Voucher]) -> dict[int, review_records.VisitReview]:
    used = [v.pk for v in found if v.state == Voucher.State.REDEEMED]
    return review_records.visit_reviews("voucher", used, request.user)


def _attach_visit_reviews(request: HttpRequest, found: list[Voucher]) -> None:
    """Each used voucher's `visit_review` (Write a review / Your review), two queries for the page."""
    visits = _visit_reviews(request, found)
    for voucher in found:
        voucher.visit_review = visits.get(voucher.pk)


@login_required
@require_GET
def voucher_page(request: HttpRequest, voucher_id: int) -> HttpResponse:
    try:
        voucher = selectors.my_voucher(actor=request.user, voucher_id=voucher_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    usable = voucher.state == voucher.State.VALID
    return render(
        request,
        "o2o/voucher_detail.html",
        {
            "voucher": voucher,
            "deal": voucher.deal,
            "places": list(voucher.deal.places.all()),
            "qr": mark_safe(selectors.qr_svg(voucher.code, scale=10)) if usable else "",  # segno's own SVG
            "code": vouchers.grouped(voucher.code),
            "refundable": vouchers.refundable(voucher),
            "visit_review": _visit_reviews(request, [voucher]).get(voucher.pk),
        },
    )


@login_required
@require_POST
def voucher_refund(request: HttpRequest, voucher_id: int) -> HttpResponse:
    try:
        vouchers.refund(actor=request.user, voucher_id=voucher_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Voucher refunded: the money is on its way back to you."))
    return redirect("o2o:voucher", voucher_id)
