"""Seller console pages for customers (capability analytics.view): the list with filters and bulk tagging, a
customer's card (orders, tags, notes), segments (rules with a live member count, members, send a coupon or a
message). Thin: forms parse, crm.services decides."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core.errors import DomainError, PermissionDenied, ValidationFailed
from tradeloop.crm import rules as segment_rules
from tradeloop.crm import selectors, services
from tradeloop.crm.forms import CouponForm, MessageForm, SegmentForm
from tradeloop.crm.models import Segment

SECTION = "crm:console_customers"
PER_PAGE = 25
SORT_LABELS = (
    ("last_order", _("Last order")),
    ("value", _("Lifetime value")),
    ("orders", pgettext_lazy("figure", "Orders")),
)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 2**63 - 1 else None


def _filters(request: HttpRequest) -> selectors.CustomerFilter:
    sort = request.GET.get("sort", "last_order")
    return selectors.CustomerFilter(
        q=request.GET.get("q", "")[:100],
        tag=_int(request.GET.get("tag")),
        city=request.GET.get("city", "")[:80],
        sort=sort if sort in selectors.SORTS else "last_order",
    )


@console_page(services.VIEW, section=SECTION)
def customer_list(request: HttpRequest, console: Console) -> HttpResponse:
    seller = console.organization
    f = _filters(request)
    try:
        page = selectors.customer_page(seller.pk, f, cursor=request.GET.get("cursor") or None, limit=PER_PAGE)
    except ValidationFailed:  # a stale or damaged cursor: start again
        page = selectors.customer_page(seller.pk, f, cursor=None, limit=PER_PAGE)
    return console.render(
        request,
        "crm/console_customers.html",
        {
            "page": page,
            "f": f,
            "tags": selectors.tags_of(seller.pk),
            "cities": selectors.cities_of(seller.pk),
            "sorts": SORT_LABELS,
            "filtered": bool(f.q or f.tag or f.city),
        },
    )


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
@console_page(services.VIEW, section=SECTION)
def bulk_tag(request: HttpRequest, console: Console) -> HttpResponse:
    back = _next(request, f"/console/{console.organization.pk}/customers/")
    ids = [i for i in (_int(v) for v in request.POST.getlist("ids")) if i]
    try:
        tagged = services.tag_customers(
            actor=request.user, seller=console.organization, customer_ids=ids, tag=request.POST.get("tag", "")
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Tagged %(count)s customers.") % {"count": tagged})
    return redirect(back)


def _customer(request: HttpRequest, console: Console, customer_id: int):
    customer = services.customer_of(actor=request.user, customer_id=customer_id)
    if customer.seller_id != console.organization.pk:
        raise Http404("customer not found")
    return customer


@console_page(services.VIEW, section=SECTION)
def customer_detail(request: HttpRequest, console: Console, customer_id: int) -> HttpResponse:
    customer = selectors.customer_detail(_customer(request, console, customer_id))
    return console.render(
        request,
        "crm/console_customer.html",
        {"customer": customer, "orders": selectors.orders_of(customer), "tags": selectors.tags_of(customer.seller_id)},
    )


@require_POST
@console_page(services.VIEW, section=SECTION)
def customer_tag(request: HttpRequest, console: Console, customer_id: int) -> HttpResponse:
    customer = _customer(request, console, customer_id)
    try:
        if request.POST.get("remove"):
            services.untag_customer(
                actor=request.user, customer_id=customer.pk, tag_id=_int(request.POST["remove"]) or 0
            )
        else:
            services.tag_customers(
                actor=request.user,
                seller=console.organization,
                customer_ids=[customer.pk],
                tag=request.POST.get("tag", ""),
            )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    return redirect("crm:console_customer", console.organization.pk, customer.pk)


@require_POST
@console_page(services.VIEW, section=SECTION)
def customer_note(request: HttpRequest, console: Console, customer_id: int) -> HttpResponse:
    customer = _customer(request, console, customer_id)
    try:
        if note_id := _int(request.POST.get("delete")):
            services.delete_note(actor=request.user, note_id=note_id)
            messages.success(request, gettext("Note deleted."))
        else:
            services.add_note(actor=request.user, customer_id=customer.pk, text=request.POST.get("text", ""))
            messages.success(request, gettext("Note added."))
    except (ValidationFailed, PermissionDenied) as exc:
        messages.error(request, exc.message)
    return redirect("crm:console_customer", console.organization.pk, customer.pk)


# ---------- segments ----------


@console_page(services.VIEW, section=SECTION)
def segment_list(request: HttpRequest, console: Console) -> HttpResponse:
    seller_id = console.organization.pk
    found = selectors.segments_of(seller_id)
    counts = selectors.member_counts(seller_id, found)
    names = selectors.tag_names(seller_id)
    rows = [(s, counts[s.pk], [segment_rules.describe(r, names) for r in s.rules]) for s in found]
    return console.render(request, "crm/console_segments.html", {"rows": rows})


def _segment(request: HttpRequest, console: Console, segment_id: int) -> Segment:
    segment = services.segment_of(actor=request.user, segment_id=segment_id)
    if segment.seller_id != console.organization.pk:
        raise Http404("segment not found")
    return segment


@console_page(services.VIEW, section=SECTION)
def segment_form(request: HttpRequest, console: Console, segment_id: int | None = None) -> HttpResponse:
    seller = console.organization
    segment = _segment(request, console, segment_id) if segment_id else None
    tags = selectors.tags_of(seller.pk)
    if request.method == "POST":
        form = SegmentForm(request.POST, tags=tags)
        if form.is_valid():
            try:
                if segment:
                    segment = services.update_segment(
                        actor=request.user, segment_id=segment.pk, name=form.cleaned_data["name"], rules=form.rules()
                    )
                else:
                    segment = services.create_segment(
                        actor=request.user, seller=seller, name=form.cleaned_data["name"], rules=form.rules()
                    )
            except ValidationFailed as exc:
                form.take(exc)
            else:
                messages.success(request, gettext("Segment saved."))
                return redirect("crm:console_segment", seller.pk, segment.pk)
    else:
        form = SegmentForm(initial=SegmentForm.initial_from(segment) if segment else {}, tags=tags)
    count = (
        _live_count(seller.pk, form)
        if form.is_bound
        else (selectors.member_counts(seller.pk, [segment])[segment.pk] if segment else None)
    )
    status = 400 if form.is_bound and form.errors else 200
    return console.render(
        request, "crm/console_segment_form.html", {"form": form, "segment": segment, "count": count}, status=status
    )


def _live_count(seller_id: int, form: SegmentForm) -> int | None:
    form.is_valid()  # the name may still be empty while the conditions are edited
    if set(form.errors) - {"name"} or not form.rules():
        return None
    try:
        cleaned = services.clean_rules(seller_id=seller_id, rules=form.rules())
    except ValidationFailed:
        return None
    return selectors.member_count(seller_id, cleaned)


@console_page(services.VIEW, section=SECTION)
def segment_count(request: HttpRequest, console: Console) -> HttpResponse:
    """htmx: the member count of the conditions being edited (the form's fields as a query)."""
    form = SegmentForm(request.GET, tags=selectors.tags_of(console.organization.pk))
    return console.render(request, "crm/_segment_count.html", {"count": _live_count(console.organization.pk, form)})


@console_page(services.VIEW, section=SECTION)
def segment_detail(request: HttpRequest, console: Console, segment_id: int) -> HttpResponse:
    segment = _segment(request, console, segment_id)
    try:
        page = selectors.member_page(segment, cursor=request.GET.get("cursor") or None, limit=PER_PAGE)
    except ValidationFailed:
        page = selectors.member_page(segment, cursor=None, limit=PER_PAGE)
    return _segment_page(request, console, segment, page)


def _segment_page(request, console, segment, page=None, coupon=None, message=None, status=200) -> HttpResponse:
    page = page or selectors.member_page(segment, cursor=None, limit=PER_PAGE)
    names = selectors.tag_names(segment.seller_id)
    return console.render(
        request,
        "crm/console_segment.html",
        {
            "segment": segment,
            "page": page,
            "count": selectors.member_counts(segment.seller_id, [segment])[segment.pk],
            "rules": [segment_rules.describe(r, names) for r in segment.rules],
            "campaigns": selectors.campaigns_of(segment),
            "can_send": console.can(services.SEND),
            "coupon_form": coupon or CouponForm(),
            "message_form": message or MessageForm(),
        },
        status=status,
    )


@require_POST
@console_page(services.SEND, section=SECTION)
def segment_coupon(request: HttpRequest, console: Console, segment_id: int) -> HttpResponse:
    segment = _segment(request, console, segment_id)
    form = CouponForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.send_coupon(
                actor=request.user,
                segment_id=segment.pk,
                data=services.CouponIn(
                    kind=data["kind"],
                    value=data["value"],
                    min_spend=data["min_spend"] or Decimal(0),
                    valid_days=data["valid_days"],
                    subject=data["subject"],
                    body=data["body"],
                ),
            )
        except ValidationFailed as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("Coupon %(code)s sent to %(count)s customers.")
                % {"code": campaign.code, "count": campaign.recipients_count},
            )
            return redirect("crm:console_segment", console.organization.pk, segment.pk)
    return _segment_page(request, console, segment, coupon=form, status=400)


@require_POST
@console_page(services.SEND, section=SECTION)
def segment_message(request: HttpRequest, console: Console, segment_id: int) -> HttpResponse:
    segment = _segment(request, console, segment_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.send_message(
                actor=request.user,
                segment_id=segment.pk,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, gettext("Message sent to %(count)s customers.") % {"count": campaign.recipients_count}
            )
            return redirect("crm:console_segment", console.organization.pk, segment.pk)
    return _segment_page(request, console, segment, message=form, status=400)
