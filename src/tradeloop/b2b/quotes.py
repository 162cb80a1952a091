"""Quotes: a supplier's answer to an RFQ, negotiated on the one negotiation engine (kind QUOTE), and the quote
policy that turns an accepted version into a B2B order at exactly its prices.

    submit_quote   a supplier's first version (v1) on an RFQ it may answer; the RFQ closes at `max_quotes`
    counter        either side answers the current version with a new one (the engine: immutable versions)
    accept         the side that did not write the current version accepts it: `place_quote_order` (on_accept)
                   places the order through `orders.place_order` — mode b2b, the buyer's organization, the lines at
                   the version's unit prices and discounts, its shipping as an adjustment, its payment terms — and
                   the RFQ closes. Twice, expired, superseded: refused by the engine with its codes.
    decline        the side that did not write the current version refuses it; the quote ends

Every line of a quote names one of the supplier's SKUs (it answers a free-text need with what it sells), so an
accepted quote can always be ordered. Payment terms are `orders.terms` codes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.b2b.companies import delivery_address
from tradeloop.b2b.errors import Code
from tradeloop.b2b.models import Rfq, RfqQuote
from tradeloop.b2b.rfq_selectors import may_quote
from tradeloop.b2b.rfqs import check_price, check_units, close
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import MAX_AMOUNT
from tradeloop.negotiation import policies
from tradeloop.negotiation import services as engine
from tradeloop.negotiation.models import Negotiation, Proposal, Side
from tradeloop.negotiation.selectors import SELL
from tradeloop.notifications import negotiations as reminders
from tradeloop.orders import services as orders
from tradeloop.orders.models import Adjustment, Order
from tradeloop.orders.terms import parse_terms

VALIDITY = timedelta(days=30)
QUOTE = Negotiation.Kind.QUOTE
Draft = engine.Draft
LineDraft = engine.LineDraft


def _check_terms(draft: Draft) -> None:
    """Every line names a SKU; amounts are finite and small enough that the order they become can be written."""
    total = Decimal(0)
    for index, line in enumerate(draft.lines):
        where = f"lines.{index}"
        if line.variant is None:
            raise ValidationFailed(
                gettext("Choose the SKU you offer for this line."), field=f"{where}.variant", code=Code.LINE_NEEDS_SKU
            )
        check_units(line.quantity, field=f"{where}.quantity")
        amount = line.quantity * check_price(line.unit_price, field=f"{where}.unit_price")
        check_price(line.discount, field=f"{where}.discount")
        if amount >= MAX_AMOUNT:
            raise ValidationFailed(
                gettext("This line's amount is too large: order fewer units or at a lower price."),
                field=f"{where}.quantity",
            )
        total += amount - line.discount
    total += check_price(draft.shipping, field="shipping")
    if total >= MAX_AMOUNT:
        raise ValidationFailed(gettext("The quote's total is too large: split it into several quotes."), field="lines")
    parse_terms(draft.payment_terms)  # bad_terms on payment_terms


def _described(draft: Draft) -> Draft:
    """A SKU line without words reads by its product's name in the thread, the diff and the order (not the SKU)."""
    lines = [
        replace(line, description=line.variant.product.display_title)
        if line.variant is not None and not line.description.strip()
        else line
        for line in draft.lines
    ]
    return replace(draft, lines=lines)


def check_counter(negotiation: Negotiation, draft: Draft, side: str) -> None:
    _check_terms(draft)


def _adjustments(proposal: Proposal, lines: list) -> list[orders.AdjustmentIn]:
    """The agreed line discounts (each on its line) and the agreed shipping, as the order's price breakdown."""
    out = [
        orders.AdjustmentIn(Adjustment.Kind.DISCOUNT, gettext("Agreed discount"), -line.discount, line_index=index)
        for index, line in enumerate(lines)
        if line.discount
    ]
    if proposal.shipping:
        out.append(orders.AdjustmentIn(Adjustment.Kind.SHIPPING, gettext("Agreed shipping"), proposal.shipping))
    return out


def place_quote_order(negotiation: Negotiation, proposal: Proposal, actor: User) -> str:
    """on_accept: the accepted version becomes a B2B order at exactly its prices; returns the order number.

    The buyer is whoever stands for the buying side: the accepting member, or — when the supplier accepts the
    buyer's counter — the member who wrote it. Placement gates (approval, credit) run inside `place_orders`."""
    buyer = actor if proposal.author_side == Side.SELLER else proposal.author
    lines = list(proposal.lines.select_related("variant__product"))
    order = orders.place_order(
        actor=buyer,
        buyer=buyer,
        buyer_org=negotiation.buyer_org,
        seller=negotiation.seller,
        mode=Order.Mode.B2B,
        currency=negotiation.currency,
        payment_terms=proposal.payment_terms,
        lines=[orders.LineIn(line.variant, line.quantity, line.unit_price, line.discount) for line in lines],
        adjustments=_adjustments(proposal, lines),
        shipping_address=delivery_address(negotiation.buyer_org_id, buyer),  # the company's default, else the buyer's
        checkout_ref=f"quote:{negotiation.pk}",
        note=f"Quote {negotiation.pk} v{proposal.number}",
    )
    link = RfqQuote.objects.filter(negotiation=negotiation).select_related("rfq").first()
    if link is not None:
        rfq = Rfq.objects.select_for_update().get(pk=link.rfq_id)
        if rfq.state == Rfq.State.OPEN:
            close(rfq, actor=actor, reason=f"quote {negotiation.pk} accepted", now=clock.now())
    return order.number


POLICY = policies.Policy(validity=VALIDITY, on_accept=place_quote_order, check_counter=check_counter)


def register() -> None:
    """Called from B2bConfig.ready()."""
    policies.register(QUOTE, POLICY)
    reminders.register_answer_pages(
        QUOTE,
        reminders.AnswerPages(
            buyer=("b2b:quote", lambda n: (n.pk,)), seller=("b2b:console_quote", lambda n: (n.seller_id, n.pk))
        ),
    )


# --- use cases --------------------------------------------------------------------------------------------------


@transaction.atomic
def submit_quote(
    *, actor: User, rfq_id: int, supplier: Organization, draft: Draft, now: datetime | None = None
) -> Negotiation:
    """The supplier's first version on an RFQ (one quote per supplier); the RFQ closes when it has `max_quotes`."""
    now = now or clock.now()
    require(actor, supplier, SELL)
    rfq = Rfq.objects.select_for_update().filter(pk=rfq_id).first()
    if rfq is None or not may_quote(supplier, rfq):
        raise NotFound(gettext("RFQ not found"), field="rfq")
    if rfq.state != Rfq.State.OPEN or rfq.deadline <= now or rfq.quote_count >= rfq.max_quotes:
        raise Conflict(gettext("This RFQ takes no more quotes."), code=Code.RFQ_CLOSED)
    if RfqQuote.objects.filter(rfq=rfq, supplier=supplier).exists():
        raise Conflict(gettext("You have already quoted on this RFQ."), code=Code.ALREADY_QUOTED)
    _check_terms(draft)
    draft = _described(draft)
    negotiation = engine.open_negotiation(
        actor=actor,
        kind=QUOTE,
        side=Side.SELLER,
        seller=supplier,
        buyer=rfq.buyer,
        buyer_org=rfq.buyer_org,
        currency=rfq.currency,
        draft=draft,
        now=now,
    )
    RfqQuote.objects.create(rfq=rfq, negotiation=negotiation, supplier=supplier, created_at=now)
    rfq.quote_count += 1
    rfq.save(update_fields=["quote_count"])
    if rfq.quote_count >= rfq.max_quotes:
        close(rfq, actor=actor, reason="enough quotes", now=now)
    return negotiation


def _quote_id(negotiation_id: int) -> int:
    """Only quotes answer through the quote pages and endpoints; any other negotiation is not found."""
    if not Negotiation.objects.filter(pk=negotiation_id, kind=QUOTE).exists():
        raise NotFound(gettext("quote not found"), field="quote")
    return negotiation_id


def counter(*, actor: User, quote_id: int, version: int, draft: Draft, now: datetime | None = None) -> Proposal:
    negotiation = _quote_id(quote_id)
    return engine.counter(actor=actor, negotiation=negotiation, version=version, draft=_described(draft), now=now)


def accept(
    *, actor: User, quote_id: int, version: int, key: str | None = None, now: datetime | None = None
) -> Negotiation:
    return engine.accept(actor=actor, negotiation=_quote_id(quote_id), version=version, key=key, now=now)


def decline(
    *, actor: User, quote_id: int, version: int | None = None, reason: str = "", now: datetime | None = None
) -> Negotiation:
    return engine.decline(actor=actor, negotiation=_quote_id(quote_id), version=version, reason=reason, now=now)


def withdraw(
    *, actor: User, quote_id: int, version: int | None = None, reason: str = "", now: datetime | None = None
) -> Negotiation:
    return engine.withdraw(actor=actor, negotiation=_quote_id(quote_id), version=version, reason=reason, now=now)
