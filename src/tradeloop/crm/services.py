"""CRM writes: the per-(seller, customer) summary kept from the orders (`refresh`, `rebuild`), tags and notes,
segments, and campaigns (a coupon or a message) sent to a segment's members.

Figures come from `orders`: an order counts once it is paid or confirmed on payment terms; the lifetime value is
the sum of `total − refunded_total` of those orders in the seller's currency (the same amounts the ledger records
as the sale and its refunds); orders cancelled after payment are refunded in full, so they add nothing and are not
in the orders count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.crm import rules as segment_rules
from tradeloop.crm.errors import Code
from tradeloop.crm.models import Campaign, Customer, CustomerTag, Note, Recipient, Segment, Tag
from tradeloop.orders.models import Order

VIEW = "analytics.view"  # see customers, tag them, write notes, build segments
SEND = "catalog.manage"  # send a coupon or a message to a segment (coupons are promotions)
AUDIENCE = "crm.campaign"  # promotions.eligibility: only a coupon campaign's recipients may use its code
INLINE_LIMIT = 25  # campaigns to more members are e-mailed by a Celery worker
MAX_TAG_LENGTH = 40
MAX_NOTE_LENGTH = 2000

COUNTED = Q(paid_at__isnull=False) | Q(confirmed_at__isnull=False)


# ---------- the summary ----------


def _orders_of(seller_id: int, user_id: int | None, company_id: int | None):
    qs = Order.objects.filter(seller_id=seller_id)
    if company_id:
        return qs.filter(buyer_org_id=company_id)
    return qs.filter(buyer_id=user_id, buyer_org__isnull=True)


def _key(order: Order) -> tuple[int, int | None, int | None]:
    """(seller, person, company): a company's orders are one customer, whoever of its staff placed them."""
    if order.buyer_org_id and order.buyer_org_id != order.seller_id:
        return order.seller_id, None, order.buyer_org_id
    return order.seller_id, order.buyer_id, None


def refresh(seller_id: int, user_id: int | None, company_id: int | None) -> Customer | None:
    """Recompute one customer's row from its orders (3 queries + the write); idempotent. No counted order and no
    row yet: nothing is created."""
    seller = Organization.objects.only("id", "currency").get(pk=seller_id)
    counted = _orders_of(seller_id, user_id, company_id).filter(COUNTED)
    net = ExpressionWrapper(
        F("total") - F("refunded_total"), output_field=DecimalField(max_digits=18, decimal_places=4)
    )
    figures = counted.aggregate(
        n=Count("id", filter=~Q(state=Order.State.CANCELLED)),
        value=Coalesce(Sum(net, filter=Q(currency=seller.currency)), Decimal(0), output_field=DecimalField()),
        first=Min("placed_at"),
        last=Max("placed_at"),
    )
    lookup = {"seller_id": seller_id, "user_id": user_id, "company_id": company_id}
    if figures["last"] is None:
        return Customer.objects.filter(**lookup).first()
    latest = counted.select_related("buyer", "buyer_org").order_by("-placed_at", "-id").first()
    contact: User = latest.buyer
    values = {
        "contact": contact,
        "name": (latest.buyer_org.name if company_id else contact.display_name)[:160],
        "email": (latest.buyer_org.email or contact.email) if company_id else contact.email,
        "company_name": latest.buyer_org.name if latest.buyer_org_id else "",
        "city": str((latest.shipping_address or {}).get("city") or "")[:80]
        or (latest.buyer_org.city if latest.buyer_org_id else ""),
        "language": contact.language or settings.LANGUAGE_CODE,
        "orders_count": figures["n"],
        "currency": seller.currency,
        "lifetime_value": figures["value"],
        "first_order_at": figures["first"],
        "last_order_at": figures["last"],
        "updated_at": clock.now(),
    }
    if Customer.objects.filter(**lookup).update(**values):
        return Customer.objects.get(**lookup)
    try:
        with transaction.atomic():
            return Customer.objects.create(**lookup, **values)
    except IntegrityError:  # a twin refresh created it meanwhile: ours are the same figures
        Customer.objects.filter(**lookup).update(**values)
        return Customer.objects.get(**lookup)


def refresh_for(order: Order) -> Customer | None:
    return refresh(*_key(order))


def rebuild(*, seller: Organization | None = None) -> int:
    """Recompute every customer row from the orders (existing data, or after a fix); returns the rows refreshed."""
    qs = Order.objects.filter(COUNTED)
    if seller is not None:
        qs = qs.filter(seller=seller)
    keys = set()
    for seller_id, buyer_id, buyer_org_id in qs.values_list("seller_id", "buyer_id", "buyer_org_id").distinct():
        if buyer_org_id and buyer_org_id != seller_id:
            keys.add((seller_id, None, buyer_org_id))
        else:
            keys.add((seller_id, buyer_id, None))
    for key in sorted(keys, key=str):
        with transaction.atomic():
            refresh(*key)
    return len(keys)


# ---------- tenancy ----------


def customer_of(*, actor: User, customer_id: int, capability: str = VIEW) -> Customer:
    """The customer, for a member of its seller with the capability; anyone else's answers 404."""
    customer = Customer.objects.select_related("seller").filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("customer not found"))
    require(actor, customer.seller_id, capability)  # not a member: NotFound
    return customer


def segment_of(*, actor: User, segment_id: int, capability: str = VIEW) -> Segment:
    segment = Segment.objects.select_related("seller").filter(pk=segment_id).first()
    if segment is None:
        raise NotFound(_("segment not found"))
    require(actor, segment.seller_id, capability)
    return segment


# ---------- tags and notes ----------


def _tag_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > MAX_TAG_LENGTH or "\x00" in name:
        raise ValidationFailed(_("A tag has 1 to %(n)s characters.") % {"n": MAX_TAG_LENGTH}, field="tag")
    return name


def _tag(seller: Organization, name: str) -> Tag:
    name = _tag_name(name)
    found = Tag.objects.filter(seller=seller, name__iexact=name).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return Tag.objects.create(seller=seller, name=name)
    except IntegrityError:
        return Tag.objects.get(seller=seller, name=name)


@transaction.atomic
def tag_customers(*, actor: User, seller: Organization, customer_ids: list[int], tag: str) -> int:
    """Put a tag (made if new) on some of the seller's customers (bulk, from the list's checkboxes); returns how many
    got it now. Ids of other sellers' customers are refused (404)."""
    require(actor, seller, VIEW)
    ids = {int(i) for i in customer_ids}
    if not ids:
        raise ValidationFailed(_("Choose at least one customer."), field="customer_ids")
    if len(ids) > 500:
        raise ValidationFailed(_("At most 500 customers at once."), field="customer_ids")
    found = set(Customer.objects.filter(seller=seller, pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise NotFound(_("customer not found"))
    the_tag = _tag(seller, tag)
    before = CustomerTag.objects.filter(tag=the_tag, customer_id__in=ids).count()
    CustomerTag.objects.bulk_create(
        [CustomerTag(customer_id=i, tag=the_tag) for i in sorted(ids)], ignore_conflicts=True
    )
    return len(ids) - before


def untag_customer(*, actor: User, customer_id: int, tag_id: int) -> None:
    customer = customer_of(actor=actor, customer_id=customer_id)
    CustomerTag.objects.filter(customer=customer, tag_id=tag_id).delete()


def add_note(*, actor: User, customer_id: int, text: str) -> Note:
    customer = customer_of(actor=actor, customer_id=customer_id)
    text = str(text or "").strip()
    if not text or len(text) > MAX_NOTE_LENGTH or "\x00" in text:
        raise ValidationFailed(_("Write a note of 1 to %(n)s characters.") % {"n": MAX_NOTE_LENGTH}, field="text")
    return Note.objects.create(customer=customer, author=actor, text=text, created_at=clock.now())


def delete_note(*, actor: User, note_id: int) -> None:
    """Only its author deletes a note (403 `note_not_yours` for a colleague; 404 outside the seller)."""
    note = Note.objects.select_related("customer").filter(pk=note_id).first()
    if note is None:
        raise NotFound(_("note not found"))
    require(actor, note.customer.seller_id, VIEW)
    if note.author_id != actor.pk:
        raise PermissionDenied(_("Only its author can delete a note."), code=Code.NOTE_NOT_YOURS)
    note.delete()


# ---------- segments ----------


def _clean_segment(seller: Organization, name: str, rules) -> tuple[str, list[dict]]:
    name = " ".join(str(name or "").split())
    if not name or len(name) > 80 or "\x00" in name:
        raise ValidationFailed(_("Give the segment a name of at most 80 characters."), field="name")
    tag_ids = set(Tag.objects.filter(seller=seller).values_list("pk", flat=True))
    return name, segment_rules.clean(rules, tag_ids=tag_ids)


def clean_rules(*, seller_id: int, rules) -> list[dict]:
    tag_ids = set(Tag.objects.filter(seller_id=seller_id).values_list("pk", flat=True))
    return segment_rules.clean(rules, tag_ids=tag_ids)


def create_segment(*, actor: User, seller: Organization, name: str, rules) -> Segment:
    require(actor, seller, VIEW)
    name, cleaned = _clean_segment(seller, name, rules)
    now = clock.now()
    return Segment.objects.create(
        seller=seller, name=name, rules=cleaned, created_by=actor, created_at=now, updated_at=now
    )


def update_segment(*, actor: User, segment_id: int, name: str, rules) -> Segment:
    segment = segment_of(actor=actor, segment_id=segment_id)
    segment.name, segment.rules = _clean_segment(segment.seller, name, rules)
    segment.updated_at = clock.now()
    segment.save(update_fields=["name", "rules", "updated_at"])
    return segment


def members(segment: Segment, *, now=None):
    """The segment's members now: one query over the summary rows."""
    return Customer.objects.filter(seller_id=segment.seller_id).filter(
        segment_rules.to_q(segment.rules, now=now or clock.now())
    )


# ---------- campaigns ----------


@dataclass
class CouponIn:
    kind: str = "percent"  # promotions.Promotion.Kind: percent or fixed
    value: Decimal = Decimal(10)
    min_spend: Decimal = Decimal(0)
    valid_days: int = 30
    subject: str = ""
    body: str = ""


def _text(value: str, *, field: str, limit: int, required: bool) -> str:
    value = str(value or "").strip()
    if "\x00" in value or len(value) > limit or (required and not value):
        raise ValidationFailed(_("Write 1 to %(n)s characters.") % {"n": limit}, field=field)
    return value


def _snapshot(campaign: Campaign, segment: Segment) -> int:
    rows = list(members(segment).values_list("pk", "contact_id"))
    if not rows:
        raise Conflict(_("This segment has no members now."), code=Code.EMPTY_SEGMENT)
    Recipient.objects.bulk_create(
        [Recipient(campaign=campaign, customer_id=pk, user_id=user_id) for pk, user_id in rows], ignore_conflicts=True
    )
    campaign.recipients_count = len(rows)
    campaign.save(update_fields=["recipients_count"])
    return len(rows)


def _deliver_later(campaign: Campaign) -> None:
    campaign_id, many = campaign.pk, campaign.recipients_count > INLINE_LIMIT

    def go() -> None:
        if many:
            from tradeloop.crm.tasks import deliver_campaign

            deliver_campaign.delay(campaign_id)
        else:
            deliver(campaign_id)

    transaction.on_commit(go, robust=True)


def _coupon_code(campaign_id: int) -> str:
    import secrets

    return f"SEG{campaign_id}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def send_coupon(*, actor: User, segment_id: int, data: CouponIn) -> Campaign:
    """A coupon code only the segment's members (now) may use, once each, for `valid_days`; each is e-mailed it."""
    from tradeloop.promotions import services as promotions

    segment = segment_of(actor=actor, segment_id=segment_id, capability=SEND)
    seller = segment.seller
    if data.kind not in ("percent", "fixed"):
        raise ValidationFailed(_("Choose a percentage or an amount off."), field="kind")
    if isinstance(data.valid_days, bool) or not 1 <= int(data.valid_days) <= 365:
        raise ValidationFailed(_("Enter a whole number from 1 to %(top)s.") % {"top": 365}, field="valid_days")
    subject = _text(data.subject, field="subject", limit=160, required=False) or _("A coupon from %(store)s") % {
        "store": seller.name
    }
    body = _text(data.body, field="body", limit=4000, required=False)
    now = clock.now()
    campaign = Campaign.objects.create(
        segment=segment,
        seller=seller,
        kind=Campaign.Kind.COUPON,
        sent_by=actor,
        subject=subject,
        body=body,
        created_at=now,
    )
    _snapshot(campaign, segment)
    code = _coupon_code(campaign.pk)
    promotion = promotions.create_targeted_coupon(
        actor=actor,
        seller=seller,
        audience=AUDIENCE,
        data=promotions.PromotionInput(
            name=f"{segment.name}"[:120],
            kind=data.kind,
            value=data.value,
            code=code,
            min_spend=data.min_spend,
            currency=seller.currency,
            starts_at=now,
            ends_at=now + timedelta(days=int(data.valid_days)),
            per_customer_limit=1,
        ),
    )
    campaign.promotion_id, campaign.code = promotion.pk, promotion.code
    campaign.save(update_fields=["promotion_id", "code"])
    _deliver_later(campaign)
    return campaign


@transaction.atomic
def send_message(*, actor: User, segment_id: int, subject: str, body: str) -> Campaign:
    """An e-mail to each member of the segment (now), once per member."""
    segment = segment_of(actor=actor, segment_id=segment_id, capability=SEND)
    campaign = Campaign.objects.create(
        segment=segment,
        seller=segment.seller,
        kind=Campaign.Kind.MESSAGE,
        sent_by=actor,
        subject=_text(subject, field="subject", limit=160, required=True),
        body=_text(body, field="body", limit=4000, required=True),
        created_at=clock.now(),
    )
    _snapshot(campaign, segment)
    _deliver_later(campaign)
    return campaign


def deliver(campaign_id: int) -> int:
    """E-mail every recipient not reached yet, in their language; once per (campaign, member) however often it
    runs (the recipient's `sent_at` and notifications' EmailLog). Returns how many went out now."""
    from tradeloop.crm import mail

    campaign = Campaign.objects.select_related("seller", "segment").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    sent = 0
    pending = Recipient.objects.filter(campaign=campaign, sent_at__isnull=True).select_related("user")
    for recipient in pending.iterator(chunk_size=200):
        if mail.send(campaign, recipient.user):
            sent += 1
        Recipient.objects.filter(pk=recipient.pk, sent_at__isnull=True).update(sent_at=clock.now())
    if sent:
        Campaign.objects.filter(pk=campaign.pk).update(sent_count=F("sent_count") + sent)
    return sent


def may_use(promotion_ids: list[int], buyer: User) -> set[int]:
    """promotions.eligibility rule: the coupon campaigns' codes this buyer received."""
    return set(
        Recipient.objects.filter(campaign__promotion_id__in=promotion_ids, user=buyer).values_list(
            "campaign__promotion_id", flat=True
        )
    )
