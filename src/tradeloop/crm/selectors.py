"""CRM reads: the seller's customers (one indexed query per page plus their tags), a customer's card and orders,
segments and their members."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from tradeloop.core import clock
from tradeloop.core.errors import ValidationFailed
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.crm import rules as segment_rules
from tradeloop.crm.models import Campaign, Customer, CustomerTag, Note, Segment, Tag
from tradeloop.orders.models import Order

SORTS = {
    "last_order": ("-last_order_at", "-id"),
    "value": ("-lifetime_value", "-id"),
    "orders": ("-orders_count", "-id"),
}


@dataclass(frozen=True)
class CustomerFilter:
    q: str = ""
    tag: int | None = None
    city: str = ""
    sort: str = "last_order"


def _with_tags(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(Prefetch("tags", Tag.objects.only("id", "name", "seller_id")))


def customers(seller_id: int, f: CustomerFilter) -> QuerySet[Customer]:
    qs = Customer.objects.filter(seller_id=seller_id)
    q = f.q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(company_name__icontains=q))
    if f.tag:
        qs = qs.filter(pk__in=CustomerTag.objects.filter(tag_id=f.tag).values("customer_id"))
    if f.city.strip():
        qs = qs.filter(city__iexact=f.city.strip())
    return qs


def customer_page(seller_id: int, f: CustomerFilter, *, cursor: str | None, limit: int = 25) -> Page:
    """One page of the seller's customers: 2 queries (the rows, their tags) whatever the page."""
    if f.sort not in SORTS:
        raise ValidationFailed("sort must be one of: " + ", ".join(SORTS), field="sort")
    return keyset_page(_with_tags(customers(seller_id, f)), order=SORTS[f.sort], cursor=cursor, limit=limit)


def tags_of(seller_id: int) -> list[Tag]:
    return list(Tag.objects.filter(seller_id=seller_id))


def cities_of(seller_id: int) -> list[str]:
    return list(
        Customer.objects.filter(seller_id=seller_id)
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()[:200]
    )


def customer_detail(customer: Customer) -> Customer:
    """The customer with its tags and notes (authors) prefetched."""
    return (
        _with_tags(Customer.objects.filter(pk=customer.pk))
        .select_related("seller", "contact", "company")
        .prefetch_related(Prefetch("notes", Note.objects.select_related("author")))
        .get()
    )


def orders_of(customer: Customer, limit: int = 50) -> list[Order]:
    """The customer's orders with this seller, newest first (its timeline)."""
    qs = Order.objects.filter(seller_id=customer.seller_id)
    if customer.company_id:
        qs = qs.filter(buyer_org_id=customer.company_id)
    else:
        qs = qs.filter(buyer_id=customer.user_id, buyer_org__isnull=True)
    return list(qs.select_related("buyer").order_by("-placed_at", "-id")[:limit])


def segments_of(seller_id: int) -> list[Segment]:
    return list(Segment.objects.filter(seller_id=seller_id))


def member_page(segment: Segment, *, cursor: str | None, limit: int = 25, now=None) -> Page:
    qs = Customer.objects.filter(seller_id=segment.seller_id).filter(
        segment_rules.to_q(segment.rules, now=now or clock.now())
    )
    return keyset_page(_with_tags(qs), order=SORTS["last_order"], cursor=cursor, limit=limit)


def member_count(seller_id: int, rules: list[dict], *, now=None) -> int:
    """How many customers the (clean) rules select now: one COUNT over the seller's rows."""
    return (
        Customer.objects.filter(seller_id=seller_id).filter(segment_rules.to_q(rules, now=now or clock.now())).count()
    )


def member_counts(seller_id: int, segments: list[Segment], *, now=None) -> dict[int, int]:
    """Every segment's member count in one query (a COUNT with a filter per segment)."""
    if not segments:
        return {}
    now = now or clock.now()
    figures = Customer.objects.filter(seller_id=seller_id).aggregate(
        **{
            f"s{s.pk}": Count("id", filter=segment_rules.to_q(s.rules, now=now) or Q(pk__isnull=False))
            for s in segments
        }
    )
    return {s.pk: figures[f"s{s.pk}"] for s in segments}


def campaigns_of(segment: Segment, limit: int = 20) -> list[Campaign]:
    return list(Campaign.objects.filter(segment=segment).select_related("sent_by")[:limit])


def tag_names(seller_id: int) -> dict[int, str]:
    return dict(Tag.objects.filter(seller_id=seller_id).values_list("pk", "name"))
