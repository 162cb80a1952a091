"""The buyer's escrow buttons on the order page: confirm receipt, extend the time to confirm. Thin: c2c.escrow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.c2c import escrow as escrows
from tradeloop.core.errors import DomainError, NotFound
from tradeloop.orders.models import Order


def _order_page(request: HttpRequest, order_id: int) -> HttpResponse:
    number = Order.objects.filter(pk=order_id, buyer=request.user).values_list("number", flat=True).first()
    if number is None:
        raise Http404("order not found")
    return redirect("orders:detail", number)


@login_required
@require_POST
def confirm_receipt(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        escrows.confirm_receipt(actor=request.user, order_id=order_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Thank you: the seller is paid."))
    return _order_page(request, order_id)


@login_required
@require_POST
def extend_receipt(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        escrow = escrows.extend(actor=request.user, order_id=order_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("You have until %(date)s to confirm receipt.")
            % {"date": date_format(localtime(escrow.confirm_by), "Y-m-d H:i")},
        )
    return _order_page(request, order_id)
