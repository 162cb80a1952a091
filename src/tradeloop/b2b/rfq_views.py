"""RFQ and quote pages. Buyer: new RFQ, my RFQs, an RFQ with its quotes, a quote's thread with the changes between
versions, counter, accept and decline. Supplier (console section Quotes): the RFQ inbox, an RFQ with the quote form,
a quote's thread with counter, and the inquiry funnel. Thin: forms parse, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.accounts.models import Organization
from tradeloop.accounts.selectors import memberships_of
from tradeloop.b2b import funnel as funnels
from tradeloop.b2b import quotes, rfq_selectors, rfqs
from tradeloop.b2b.models import Rfq, RfqAttachment
from tradeloop.b2b.rfq_forms import RfqForm, TermsForm, attach
from tradeloop.catalog.models import Category, Variant
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.negotiation.models import Negotiation, Side
from tradeloop.orders.models import Order

SECTION = "b2b:console_rfqs"
PAGE_SIZE = 20
INBOX_TABS = (("new", pgettext_lazy("rfq inbox", "New")), ("quoted", _("Quoted")), ("all", _("All")))
STATE_BADGES = {
    "open": "badge-warning",
    "accepted": "badge-success",
    "closed": "badge-muted",
    "cancelled": "badge-muted",
    "declined": "badge-danger",
    "withdrawn": "badge-muted",
    "expired": "badge-muted",
}


def _not_found(exc: NotFound):
    return Http404(exc.message)


def _purchasing_orgs(user) -> list[Organization]:
    return [m.organization for m in memberships_of(user) if m.role.grants(rfqs.PURCHASING)]


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() and int(value) > 0 else None


# --- the buyer ----------------------------------------------------------------------------------------------------


@login_required
def rfq_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") if request.GET.get("state") in Rfq.State.values else None
    try:
        page = rfq_selectors.buyer_rfqs(request.user, state=state, cursor=request.GET.get("after"), limit=PAGE_SIZE)
    except ValidationFailed:
        return redirect("b2b:rfq_list")
    context = {
        "page": page,
        "state": state,
        "states": Rfq.State.choices,
        "badges": STATE_BADGES,
        "may_send": bool(_purchasing_orgs(request.user)),
    }
    return render(request, "b2b/rfq/list.html", context)


def _prefill(request: HttpRequest, organizations: list[Organization]) -> tuple[dict, Variant | None]:
    """From a product page or a low-stock alert: ?variant=<id>&quantity=<n>. Another seller's SKU: a direct RFQ to
    its seller; one's own SKU (restocking it): an open RFQ in its category, the SKU described in words."""
    initial: dict = {"audience": "open", "lines_data": {}}
    if organizations:
        initial["organization"] = organizations[0].pk
        initial["currency"] = organizations[0].currency
    variant_id, quantity = _int(request.GET.get("variant")), _int(request.GET.get("quantity")) or 1
    variant = (
        Variant.objects.select_related("product__seller", "product__category").filter(pk=variant_id).first()
        if variant_id
        else None
    )
    if variant is None:
        if supplier_id := _int(request.GET.get("supplier")):
            initial.update(audience="direct", supplier=supplier_id)
        return initial, None
    product = variant.product
    own = product.seller_id in {o.pk for o in organizations}
    line = {"line-0-quantity": str(quantity), "line-0-description": f"{product.display_title} ({variant.sku})"}
    if own:
        initial.update(audience="open", category=product.category_id, title=product.display_title)
    else:
        line["line-0-variant"] = str(variant.pk)
        initial.update(
            audience="direct", supplier=product.seller_id, title=product.display_title, currency=variant.currency
        )
    initial["lines_data"] = line
    return initial, None if own else variant


def _suppliers() -> list[Organization]:
    return list(Organization.objects.filter(kind=Organization.Kind.SUPPLIER, is_active=True).order_by("name")[:500])


@login_required
def rfq_new(request: HttpRequest) -> HttpResponse:
    organizations = _purchasing_orgs(request.user)
    if not organizations:
        return render(request, "b2b/rfq/no_purchasing.html", status=403)
    suppliers = _suppliers()
    choices = {"organizations": organizations, "suppliers": suppliers, "categories": list(Category.objects.all())}
    initial, variant = _prefill(request, organizations)
    if variant is not None and variant.product.seller not in suppliers:
        suppliers.insert(0, variant.product.seller)  # a merchant's SKU: its seller may quote too
    status = 200
    if request.method == "POST":
        form = RfqForm(request.POST, **choices)
        if form.is_valid():
            data = form.to_input(request.FILES.getlist("files"))
            if data is not None:
                cleaned = form.cleaned_data
                buyer_org = next(o for o in organizations if o.pk == cleaned["organization"])
                if cleaned["audience"] == "direct":
                    data.supplier = next((s for s in suppliers if s.pk == cleaned["supplier"]), None)
                    if data.supplier is None:
                        form.add_error("supplier", gettext("Choose a supplier."))
                else:
                    data.category = Category.objects.filter(pk=cleaned["category"]).first()
                    if data.category is None:
                        form.add_error("category", gettext("Choose a category."))
                if not form.errors:
                    try:
                        rfq = rfqs.create_rfq(actor=request.user, buyer_org=buyer_org, data=data)
                    except DomainError as error:
                        if error.status == 404 and error.field != "supplier":
                            raise _not_found(error) from error
                        if (error.field or "").startswith("lines."):
                            form.line_errors[int(error.field.split(".")[1])] = error.message
                        else:
                            attach(form, error)
                    else:
                        messages.success(request, gettext("Your RFQ is sent."))
                        return redirect("b2b:rfq_detail", rfq.pk)
        status = 400
    else:
        form = RfqForm(initial=initial, **choices)
    context = {"form": form, "variant": variant, "max_files": rfqs.MAX_FILES, "max_mb": rfqs.max_file_bytes() // 2**20}
    return render(request, "b2b/rfq/new.html", context, status=status)


@login_required
def rfq_detail(request: HttpRequest, rfq_id: int) -> HttpResponse:
    try:
        rfq = rfq_selectors.rfq_for_buyer(request.user, rfq_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    return render(request, "b2b/rfq/detail.html", {"rfq": rfq, "badges": STATE_BADGES})


@login_required
@require_POST
def rfq_cancel(request: HttpRequest, rfq_id: int) -> HttpResponse:
    try:
        rfqs.cancel_rfq(actor=request.user, rfq_id=rfq_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The RFQ takes no more quotes."))
    return redirect("b2b:rfq_detail", rfq_id)


@login_required
def rfq_attachment(request: HttpRequest, rfq_id: int, attachment_id: int) -> FileResponse:
    """A file of an RFQ, for its buyer's side and the suppliers it is for."""
    visible = False
    try:
        rfq_selectors.rfq_for_buyer(request.user, rfq_id)
        visible = True
    except NotFound:
        for m in memberships_of(request.user):
            if m.organization.sells and m.role.grants("orders.view"):
                try:
                    rfq_selectors.rfq_for_supplier(request.user, m.organization, rfq_id)
                    visible = True
                    break
                except NotFound:
                    continue
    attachment = RfqAttachment.objects.filter(pk=attachment_id, rfq_id=rfq_id).first() if visible else None
    if attachment is None:
        raise Http404("attachment not found")
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    # Always a download, never rendered in our origin (an HTML or SVG file must not run as a page of the site).
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _thread_context(negotiation: Negotiation, side: str) -> dict:
    current = negotiation.versions[-1]
    my_turn = negotiation.state == Negotiation.State.OPEN and current.author_side != side
    return {
        "quote": negotiation,
        "rfq": negotiation.rfq,
        "versions": rfq_selectors.versions_with_changes(negotiation),
        "current": current,
        "side": side,
        "my_turn": my_turn,
        "expired": negotiation.expires_at is not None and negotiation.expires_at <= clock.now(),
        "badges": STATE_BADGES,
    }


def _terms_rows(negotiation: Negotiation) -> list[dict]:
    current = negotiation.versions[-1]
    return [
        {
            "asked": line.description,
            "variant": line.variant_id,
            "quantity": line.quantity,
            "unit_price": line.unit_price.normalize() if line.unit_price else line.unit_price,
            "discount": line.discount.normalize() if line.discount else "",
        }
        for line in current.lines.all()
    ]


def _skus(seller_id: int) -> list[Variant]:
    return list(
        Variant.objects.filter(product__seller_id=seller_id, is_active=True)
        .select_related("product")
        .order_by("product__title", "sku")[:500]
    )


def _counter_form(request: HttpRequest, negotiation: Negotiation) -> TermsForm:
    rows = _terms_rows(negotiation)
    current = negotiation.versions[-1]
    initial = {
        "shipping": current.shipping.normalize(),
        "payment_terms": current.payment_terms or "prepay",
        # a counter keeps the validity it answers unless the author changes it (an empty field means 30 days)
        "valid_until": timezone.localdate(current.valid_until) if current.valid_until > clock.now() else None,
        "note": "",
    }
    skus = _skus(negotiation.seller_id)
    if request.method == "POST":
        return TermsForm(request.POST, rows=rows, skus=skus)
    return TermsForm(initial=initial, rows=rows, skus=skus)


def _handle_counter(request: HttpRequest, negotiation: Negotiation, form: TermsForm) -> bool:
    if not form.is_valid():
        return False
    draft = form.draft()
    if draft is None:
        return False
    version = _int(request.POST.get("version")) or 0
    try:
        quotes.counter(actor=request.user, quote_id=negotiation.pk, version=version, draft=draft)
    except DomainError as error:
        if error.status == 404:
            raise _not_found(error) from error
        if (error.field or "").startswith("lines.") and error.field.split(".")[1].isdigit():
            form.line_errors[int(error.field.split(".")[1])] = error.message
        else:
            attach(form, error)
        return False
    messages.success(request, gettext("Your counter-offer is sent."))
    return True


def _buyer_thread(request: HttpRequest, quote_id: int) -> Negotiation:
    try:
        negotiation = rfq_selectors.quote_thread(request.user, quote_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    if negotiation.seller_id in {m.organization_id for m in memberships_of(request.user)}:
        raise Http404("quote not found")  # the supplier's side reads it in the console
    return negotiation


@login_required
def quote_detail(request: HttpRequest, quote_id: int) -> HttpResponse:
    negotiation = _buyer_thread(request, quote_id)
    context = _thread_context(negotiation, Side.BUYER)
    # an accepted prepay quote's order waits for the buyer's payment ("Pay now" on the order page)
    context["awaiting_payment"] = (
        bool(negotiation.result_ref)
        and (
            Order.objects.filter(number=negotiation.result_ref, buyer=request.user, state=Order.State.PENDING_PAYMENT)
        ).exists()
    )
    return render(request, "b2b/rfq/quote.html", context)


@login_required
def quote_counter(request: HttpRequest, quote_id: int) -> HttpResponse:
    negotiation = _buyer_thread(request, quote_id)
    form = _counter_form(request, negotiation)
    if request.method == "POST" and _handle_counter(request, negotiation, form):
        return redirect("b2b:quote", quote_id)
    context = {**_thread_context(negotiation, Side.BUYER), "form": form, "skus": form.skus}
    return render(request, "b2b/rfq/counter.html", context, status=400 if request.method == "POST" else 200)


def _decide(request: HttpRequest, quote_id: int, action: str) -> tuple[bool, Negotiation | None]:
    version = _int(request.POST.get("version")) or 0
    try:
        if action == "accept":
            done = quotes.accept(
                actor=request.user, quote_id=quote_id, version=version, key=request.POST.get("idempotency_key") or None
            )
            messages.success(
                request, gettext("Quote accepted: order %(number)s is placed.") % {"number": done.result_ref}
            )
        elif action == "decline":
            done = quotes.decline(
                actor=request.user, quote_id=quote_id, version=version, reason=request.POST.get("reason", "")[:300]
            )
            messages.success(request, gettext("Quote declined."))
        else:
            done = quotes.withdraw(actor=request.user, quote_id=quote_id, version=version)
            messages.success(request, gettext("Your version is withdrawn."))
    except NotFound as exc:
        raise _not_found(exc) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return False, None
    return True, done


@login_required
@require_POST
def quote_accept(request: HttpRequest, quote_id: int) -> HttpResponse:
    _buyer_thread(request, quote_id)
    ok, done = _decide(request, quote_id, "accept")
    if ok and done.result_ref:
        return redirect("orders:detail", done.result_ref)
    return redirect("b2b:quote", quote_id)


@login_required
@require_POST
def quote_decline(request: HttpRequest, quote_id: int) -> HttpResponse:
    _buyer_thread(request, quote_id)
    _decide(request, quote_id, "decline")
    return redirect("b2b:quote", quote_id)


# --- the supplier's console ---------------------------------------------------------------------------------------


@console_page("orders.view", section=SECTION)
def console_rfqs(request: HttpRequest, console: Console) -> HttpResponse:
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(INBOX_TABS) else "new"
    try:
        page = rfq_selectors.supplier_inbox(
            request.user, console.organization, tab=tab, cursor=request.GET.get("cursor"), limit=PAGE_SIZE
        )
    except ValidationFailed:
        page = rfq_selectors.supplier_inbox(request.user, console.organization, tab=tab, limit=PAGE_SIZE)
    context = {"page": page, "tab": tab, "tabs": INBOX_TABS, "badges": STATE_BADGES}
    return console.render(request, "b2b/rfq/console_inbox.html", context)


def _quote_form(request: HttpRequest, rfq: Rfq, console: Console) -> TermsForm:
    skus = _skus(console.organization.pk)
    own = {v.pk for v in skus}
    rows = [
        {
            "asked": line.description,
            "variant": line.variant_id if line.variant_id in own else "",
            "quantity": line.quantity,
            "unit_price": "",
            "discount": "",
        }
        for line in rfq.lines.all()
    ]
    if request.method == "POST":
        return TermsForm(request.POST, rows=rows, skus=skus)
    return TermsForm(initial={"shipping": 0, "payment_terms": "prepay"}, rows=rows, skus=skus)


@console_page("orders.view", section=SECTION)
def console_rfq(request: HttpRequest, console: Console, rfq_id: int) -> HttpResponse:
    rfq = rfq_selectors.rfq_for_supplier(request.user, console.organization, rfq_id)
    mine = rfq.quote_links[0] if rfq.quote_links else None
    if mine:
        return redirect("b2b:console_quote", console.organization.pk, mine.negotiation_id)
    may_quote = console.can("orders.fulfil") and rfq.state == Rfq.State.OPEN and rfq.deadline > clock.now()
    form = _quote_form(request, rfq, console) if may_quote else None
    status = 200
    if request.method == "POST" and form is not None:
        status = 400
        if form.is_valid() and (draft := form.draft()) is not None:
            try:
                negotiation = quotes.submit_quote(
                    actor=request.user, rfq_id=rfq.pk, supplier=console.organization, draft=draft
                )
            except DomainError as error:
                if error.status == 404:
                    raise
                if (error.field or "").startswith("lines.") and error.field.split(".")[1].isdigit():
                    form.line_errors[int(error.field.split(".")[1])] = error.message
                else:
                    attach(form, error)
            else:
                messages.success(request, gettext("Your quote is sent."))
                return redirect("b2b:console_quote", console.organization.pk, negotiation.pk)
    context = {"rfq": rfq, "form": form, "skus": form.skus if form else [], "badges": STATE_BADGES}
    return console.render(request, "b2b/rfq/console_rfq.html", context, status=status)


def _console_thread(request: HttpRequest, console: Console, quote_id: int) -> Negotiation:
    negotiation = rfq_selectors.quote_thread(request.user, quote_id)
    if negotiation.seller_id != console.organization.pk:
        raise NotFound(gettext("quote not found"), field="quote")
    return negotiation


@console_page("orders.view", section=SECTION)
def console_quote(request: HttpRequest, console: Console, quote_id: int) -> HttpResponse:
    negotiation = _console_thread(request, console, quote_id)
    context = _thread_context(negotiation, Side.SELLER)
    form = None
    status = 200
    if context["my_turn"] and console.can("orders.fulfil"):
        form = _counter_form(request, negotiation)
        if request.method == "POST":
            if _handle_counter(request, negotiation, form):
                return redirect("b2b:console_quote", console.organization.pk, quote_id)
            status = 400
    context.update(form=form, skus=form.skus if form else [], may_act=console.can("orders.fulfil"))
    return console.render(request, "b2b/rfq/console_quote.html", context, status=status)


@require_POST
@console_page("orders.fulfil", section=SECTION)
def console_quote_decide(request: HttpRequest, console: Console, quote_id: int, action: str) -> HttpResponse:
    _console_thread(request, console, quote_id)
    if action not in ("accept", "decline", "withdraw"):
        raise Http404("no such action")
    _decide(request, quote_id, action)
    return redirect("b2b:console_quote", console.organization.pk, quote_id)


@console_page("orders.view", section=SECTION)
def console_funnel(request: HttpRequest, console: Console) -> HttpResponse:
    period = request.GET.get("period") if request.GET.get("period") in funnels.PERIODS else "month"
    f = funnels.supplier_funnel(
        request.user, console.organization, period=period, periods=6 if period == "month" else 8
    )
    context = {
        "funnel": f,
        "period": period,
        "periods": (("month", _("By month")), ("week", _("By week"))),
        "chart_max": max([b.received for b in f.buckets] + [1]),
        "chart_height": len(f.buckets) * 24,
        "median_hours": round(f.median_first_response.total_seconds() / 3600, 1)
        if f.median_first_response is not None
        else None,
    }
    return console.render(request, "b2b/rfq/console_funnel.html", context)


def rfq_new_url(variant_id: int, quantity: int) -> str:
    """The new-RFQ page with a SKU filled in (the low-stock alert's 'Request a quote')."""
    return f"{reverse('b2b:rfq_new')}?variant={variant_id}&quantity={quantity}"
