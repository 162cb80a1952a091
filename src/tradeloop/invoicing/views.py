"""Invoice pages: the buying organization's Invoices (list, detail with Pay online and PDF); the console's Invoices
desk (filters, detail, record an offline payment, PDF)."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotAuthenticated, NotFound
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.money import Money, quantize
from tradeloop.invoicing import selectors, services
from tradeloop.invoicing.forms import OfflinePaymentForm
from tradeloop.invoicing.models import Invoice
from tradeloop.orders.terms import parse_terms

INVOICES = "invoicing:console_invoices"
PER_PAGE = 25
TABS = [("", _("All")), ("unpaid", _("Unpaid")), ("overdue", _("Overdue")), ("paid", _("Paid")), ("void", _("Void"))]


def _status(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in selectors.FILTERS else ""


def _pdf(invoice: Invoice) -> HttpResponse:
    from tradeloop.invoicing.pdf import render_pdf  # ReportLab (16 MB) only in a process that draws a PDF

    response = HttpResponse(render_pdf(invoice, get_language() or "en"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


def _terms_label(invoice: Invoice) -> str:
    try:
        return parse_terms(invoice.payment_terms).label
    except DomainError:
        return invoice.payment_terms


def _buyer_invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    try:
        return selectors.invoice_for_buyer(request.user, invoice_id)
    except (NotFound, NotAuthenticated) as exc:
        raise Http404(exc.message) from exc


# ---------- buyer ----------


@login_required
def my_invoices(request: HttpRequest) -> HttpResponse:
    status = _status(request)
    page = selectors.buyer_invoices(actor=request.user, status=status, cursor=request.GET.get("cursor") or None)
    context = {"page": page, "invoices": page.items, "status": status, "tabs": TABS}
    return render(request, "invoicing/my_invoices.html", context)


@login_required
def detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _buyer_invoice(request, invoice_id)
    context = {"invoice": invoice, "pay_key": uuid.uuid4().hex, "terms_label": _terms_label(invoice)}
    return render(request, "invoicing/detail.html", context)


@login_required
def pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _pdf(_buyer_invoice(request, invoice_id))


@require_POST
@login_required
def pay(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _buyer_invoice(request, invoice_id)

    def run() -> tuple[int, dict]:
        _payment, url = services.start_online_payment(
            actor=request.user, invoice_id=invoice.pk, return_url=reverse("invoicing:detail", args=[invoice.pk])
        )
        return 302, {"url": url}

    try:
        _status_code, body = replay_or_run(
            user=request.user,
            scope=f"invoices:{invoice.pk}:pay",
            key=request.POST.get("idempotency_key") or None,
            request_data={"web": True},
            run=run,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("invoicing:detail", invoice.pk)
    return redirect(body["url"])


# ---------- seller console ----------


@console_page("finance.view", section=INVOICES)
def console_invoices(request: HttpRequest, console: Console) -> HttpResponse:
    status = _status(request)
    page = selectors.seller_invoices(
        actor=request.user,
        seller=console.organization,
        status=status,
        cursor=request.GET.get("cursor") or None,
        limit=PER_PAGE,
    )
    context = {
        "page": page,
        "invoices": page.items,
        "status": status,
        "tabs": TABS,
        "overdue": selectors.overdue_count(seller=console.organization),
    }
    return console.render(request, "invoicing/console_invoices.html", context)


def _received_at(form: OfflinePaymentForm) -> datetime | None:
    day = form.cleaned_data.get("received_on")
    if not day or day == timezone.localdate(clock.now()):
        return None
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@console_page("finance.view", section=INVOICES)
def console_invoice(request: HttpRequest, console: Console, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_for_seller(request.user, invoice_id, seller=console.organization)
    can_record = console.can(services.RECORDING_CAPABILITY) and invoice.state in Invoice.OPEN
    form = OfflinePaymentForm(
        request.POST or None,
        initial={"amount": quantize(invoice.open_amount, invoice.currency), "idempotency_key": uuid.uuid4().hex},
    )
    if request.method == "POST" and can_record and form.is_valid():
        data = form.cleaned_data

        def run() -> tuple[int, dict]:
            made = services.record_offline_payment(
                actor=request.user,
                invoice_id=invoice.pk,
                amount=data["amount"],
                reference=data["reference"],
                received_at=_received_at(form),
            )
            return 201, {"amount": str(made.amount)}

        try:
            _code, body = replay_or_run(
                user=request.user,
                scope=f"invoices:{invoice.pk}:payments",
                key=data.get("idempotency_key") or None,
                request_data={"amount": str(data["amount"]), "reference": data["reference"]},
                run=run,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            amount = Money(Decimal(body["amount"]), invoice.currency).format(get_language() or "en")
            messages.success(
                request, gettext("%(amount)s recorded on %(number)s.") % {"amount": amount, "number": invoice.number}
            )
            return redirect("invoicing:console_invoice", console.organization.pk, invoice.pk)
    context = {"invoice": invoice, "form": form, "can_record": can_record, "terms_label": _terms_label(invoice)}
    return console.render(request, "invoicing/console_invoice.html", context, status=400 if form.errors else 200)


@console_page("finance.view", section=INVOICES)
def console_pdf(request: HttpRequest, console: Console, invoice_id: int) -> HttpResponse:
    return _pdf(selectors.invoice_for_seller(request.user, invoice_id, seller=console.organization))
