"""Rating pages: an order's ratings (rate the other side, see what may be seen) and a private seller's public
profile. Thin: the form parses, c2c.ratings decides, c2c.rating_selectors reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from tradeloop.c2c import rating_selectors as selectors
from tradeloop.c2c import ratings
from tradeloop.c2c.dispute_forms import attach
from tradeloop.c2c.rating_forms import RatingForm
from tradeloop.core.errors import DomainError, NotFound


@login_required
def order_ratings(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        found = selectors.for_order(request.user, order_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = RatingForm(request.POST if request.method == "POST" else None, side=found.side)
    if request.method == "POST" and form.is_valid():
        try:
            ratings.rate(actor=request.user, order_id=order_id, **form.cleaned_data)
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, gettext("Thank you for your rating."))
            return redirect("c2c:order_ratings", order_id)
    status = 400 if form.errors else 200
    return render(request, "c2c/rating_order.html", {"found": found, "order": found.order, "form": form}, status=status)


def profile(request: HttpRequest, org_id: int) -> HttpResponse:
    try:
        p = selectors.profile(org_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "c2c/profile.html", {"p": p, "seller": p.seller, "standing": p.standing})


def profile_ratings(request: HttpRequest, org_id: int) -> HttpResponse:
    as_buyer = request.GET.get("role") == "buyer"
    try:
        seller, standing = selectors.seller_header(org_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        page = selectors.seller_ratings_page(seller, as_buyer=as_buyer, cursor=request.GET.get("cursor"), limit=20)
    except DomainError:  # a malformed cursor: the first page
        page = selectors.seller_ratings_page(seller, as_buyer=as_buyer, limit=20)
    return render(
        request,
        "c2c/rating_list.html",
        {"seller": seller, "standing": standing, "page": page, "as_buyer": as_buyer},
    )
