"""Every write of the negotiation engine: one use case, one transaction, the negotiation's row locked, each step
recorded as an event. The two sides take turns: only the side that did not write the current version may counter
or accept it; the author may withdraw it; the other side may decline it. A version past its validity expires the
negotiation (`sweep_expired`); 24 h before, `expiring_soon` is sent once (`sweep_expiry_reminders`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Product, Variant
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.idempotency import replay_or_run
from tradeloop.core.money import check_currency
from tradeloop.core.quantities import require_units
from tradeloop.negotiation import signals
from tradeloop.negotiation.errors import Code
from tradeloop.negotiation.models import Negotiation, Proposal, ProposalLine, Side
from tradeloop.negotiation.policies import policy_for
from tradeloop.negotiation.selectors import BUY, SELL, org_ids, side_of, signed_in

ZERO = Decimal(0)
REMIND_BEFORE = timedelta(hours=24)
State = Negotiation.State


@dataclass(frozen=True)
class LineDraft:
    """One line of a version: a SKU of the seller's (variant) or a free-text need (description)."""

    quantity: int
    unit_price: Decimal
    variant: Variant | None = None
    description: str = ""
    discount: Decimal = ZERO


@dataclass(frozen=True)
class Draft:
    """The terms of a new version."""

    lines: list[LineDraft]
    shipping: Decimal = ZERO
    payment_terms: str = ""
    terms_text: str = ""
    valid_until: datetime | None = None  # default: now + the policy's validity
    note: str = ""

    def goods_total(self) -> Decimal:
        return sum((line.quantity * line.unit_price - line.discount for line in self.lines), ZERO)


# --- checks ---------------------------------------------------------------------------------------------------


def _check_line(index: int, line: LineDraft, negotiation: Negotiation) -> None:
    where = f"lines.{index}"
    require_units(line.quantity, field=f"{where}.quantity")
    if line.unit_price < 0:
        raise ValidationFailed(gettext("A price cannot be negative."), field=f"{where}.unit_price")
    if not ZERO <= line.discount <= line.quantity * line.unit_price:
        raise ValidationFailed(
            gettext("A discount must be between zero and the line's amount."), field=f"{where}.discount"
        )
    if line.variant is None:
        if not line.description.strip():
            raise ValidationFailed(gettext("Describe the line or choose a SKU."), field=f"{where}.description")
        return
    if line.variant.product.seller_id != negotiation.seller_id:
        raise ValidationFailed(gettext("This SKU is not the seller's."), field=f"{where}.variant")
    if line.variant.currency != negotiation.currency:
        raise ValidationFailed(gettext("This SKU is priced in another currency."), field=f"{where}.variant")


def _check_draft(draft: Draft, negotiation: Negotiation, now: datetime) -> None:
    if not draft.lines:
        raise ValidationFailed(gettext("A proposal needs at least one line."), field="lines")
    for index, line in enumerate(draft.lines):
        _check_line(index, line, negotiation)
    if draft.shipping < 0:
        raise ValidationFailed(gettext("A price cannot be negative."), field="shipping")
    if draft.valid_until is not None and draft.valid_until <= now:
        raise ValidationFailed(gettext("The validity must end in the future."), field="valid_until")
    if negotiation.counter_cap is not None and draft.goods_total() > negotiation.counter_cap:
        raise ValidationFailed(
            gettext("A proposal cannot be above %(cap)s.") % {"cap": negotiation.counter_cap},
            field="lines",
            code=Code.OVER_CAP,
        )


def _write_version(negotiation: Negotiation, draft: Draft, *, actor: User, side: str, now: datetime) -> Proposal:
    valid_until = draft.valid_until or now + policy_for(negotiation.kind).validity
    proposal = Proposal.objects.create(
        negotiation=negotiation,
        number=negotiation.current_version + 1,
        author_side=side,
        author=actor,
        shipping=draft.shipping,
        payment_terms=draft.payment_terms.strip(),
        terms_text=draft.terms_text.strip(),
        valid_until=valid_until,
        note=draft.note.strip(),
        created_at=now,
    )
    ProposalLine.objects.bulk_create(
        ProposalLine(
            proposal=proposal,
            position=position,
            variant=line.variant,
            description=line.description.strip() or (line.variant.sku if line.variant else ""),
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
        )
        for position, line in enumerate(draft.lines, start=1)
    )
    negotiation.current_version = proposal.number
    negotiation.expires_at = valid_until
    negotiation.save(update_fields=["current_version", "expires_at"])
    states.record(
        negotiation, old=negotiation.state, new=negotiation.state, actor=actor, reason=f"v{proposal.number} by {side}"
    )
    return proposal


def _locked(negotiation: Negotiation | int) -> Negotiation:
    pk = negotiation if isinstance(negotiation, int) else negotiation.pk
    found = Negotiation.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("negotiation not found"), field="negotiation")
    return found


def _current(negotiation: Negotiation) -> Proposal:
    return negotiation.proposals.get(number=negotiation.current_version)


def _require_open(negotiation: Negotiation, now: datetime) -> None:
    if negotiation.state == State.ACCEPTED:
        raise Conflict(gettext("This negotiation was already accepted."), code=Code.ALREADY_ACCEPTED)
    if negotiation.state == State.EXPIRED or (negotiation.expires_at and negotiation.expires_at <= now):
        raise Conflict(gettext("This proposal has expired."), code=Code.EXPIRED, field="version")
    if negotiation.state != State.OPEN:
        raise Conflict(
            gettext("This negotiation is closed (%(state)s).") % {"state": negotiation.get_state_display()},
            code=Code.CLOSED,
        )


def _require_current(negotiation: Negotiation, version: int) -> None:
    if version < negotiation.current_version:
        raise Conflict(
            gettext("Version %(old)s was superseded by version %(new)s.")
            % {"old": version, "new": negotiation.current_version},
            code=Code.SUPERSEDED,
            field="version",
        )
    if version != negotiation.current_version:
        raise NotFound(gettext("no such version"), field="version")


def _turn(side: str, negotiation: Negotiation, *, responder: bool) -> Proposal:
    """The current version, if it is `side`'s turn: the responder (counter, accept, decline) is the side that did
    not write it; the author (withdraw) is the side that did."""
    current = _current(negotiation)
    if (current.author_side != side) != responder:
        message = (
            gettext("It is the other side's turn: you wrote the current version.")
            if responder
            else gettext("Only the side that wrote the current version can withdraw it.")
        )
        raise Conflict(message, code=Code.NOT_YOUR_TURN)
    return current


def _checked_turn(actor: User, negotiation: Negotiation, now: datetime, *, version: int | None, responder: bool):
    """The actor's side and the current version, after the checks in the order a party can act on: a party at all
    (else 404: a non-party learns nothing), still open and valid, the version still current, and its turn."""
    side = side_of(actor, negotiation, acting=True)
    _require_open(negotiation, now)
    if version is not None:
        _require_current(negotiation, version)
    return side, _turn(side, negotiation, responder=responder)


# --- use cases ------------------------------------------------------------------------------------------------


def _opening_parties(actor: User, side: str, seller: Organization, buyer: User | None, buyer_org) -> tuple:
    signed_in(actor)
    if side == Side.BUYER:
        if buyer_org is not None and buyer_org.pk not in org_ids(actor, BUY):
            raise NotFound(gettext("organization not found"), field="buyer_org")
        if seller.pk in org_ids(actor, BUY, SELL) or (buyer_org and buyer_org.pk == seller.pk):
            raise ValidationFailed(gettext("You cannot negotiate with your own organization."), field="seller")
        return actor, buyer_org
    if side != Side.SELLER:
        raise ValidationFailed(gettext("Choose buyer or seller."), field="side")
    if seller.pk not in org_ids(actor, SELL):
        if seller.pk in org_ids(actor):
            raise PermissionDenied(gettext("your role does not allow you to negotiate for this organization"))
        raise NotFound(gettext("organization not found"), field="seller")
    if buyer is None:
        raise ValidationFailed(gettext("Choose the buyer."), field="buyer")
    return buyer, buyer_org


@transaction.atomic
def open_negotiation(
    *,
    actor: User,
    kind: str,
    side: str,
    seller: Organization,
    currency: str,
    draft: Draft,
    buyer: User | None = None,
    buyer_org: Organization | None = None,
    product: Product | None = None,
    counter_cap: Decimal | None = None,
    now: datetime | None = None,
) -> Negotiation:
    """Open a negotiation with its first version, written by `side`: the buyer (an offer, a consumer request; the
    actor is the buyer, for itself or for `buyer_org`) or the seller (a quote to `buyer`, for `seller`)."""
    now = now or clock.now()
    policy = policy_for(kind)
    buyer, buyer_org = _opening_parties(actor, side, seller, buyer, buyer_org)
    if product is not None and product.seller_id != seller.pk:
        raise ValidationFailed(gettext("This product is not the seller's."), field="product")
    negotiation = Negotiation.objects.create(
        kind=kind,
        buyer=buyer,
        buyer_org=buyer_org,
        seller=seller,
        product=product,
        currency=check_currency(currency),
        max_rounds=policy.max_rounds,
        counter_cap=counter_cap,
        created_at=now,
    )
    _check_draft(draft, negotiation, now)
    states.record(negotiation, new=negotiation.state, actor=actor, reason=f"opened by {side}")
    _write_version(negotiation, draft, actor=actor, side=side, now=now)
    return negotiation


@transaction.atomic
def counter(
    *, actor: User, negotiation: Negotiation | int, version: int, draft: Draft, now: datetime | None = None
) -> Proposal:
    """Answer version `version` (it must be the current one) with a new version of the terms."""
    now = now or clock.now()
    negotiation = _locked(negotiation)
    side, _ = _checked_turn(actor, negotiation, now, version=version, responder=True)
    if negotiation.max_rounds is not None and negotiation.current_version >= negotiation.max_rounds:
        raise Conflict(
            gettext("No more counters: at most %(n)s versions.") % {"n": negotiation.max_rounds},
            code=Code.TOO_MANY_ROUNDS,
        )
    _check_draft(draft, negotiation, now)
    policy_for(negotiation.kind).check_counter(negotiation, draft, side)
    return _write_version(negotiation, draft, actor=actor, side=side, now=now)


def _decide(negotiation: Negotiation, to: str, *, actor: User | None, now: datetime, reason: str) -> None:
    negotiation.decided_at = now
    states.transition(negotiation, to, actor=actor, reason=reason)


@transaction.atomic  # also when there is no Idempotency-Key (replay_or_run then only calls it)
def _accept(actor: User, negotiation_id: int, version: int, now: datetime) -> dict:
    negotiation = _locked(negotiation_id)
    _side, current = _checked_turn(actor, negotiation, now, version=version, responder=True)
    result = policy_for(negotiation.kind).on_accept(negotiation, current, actor) or ""
    negotiation.accepted_version = current.number
    negotiation.result_ref = str(result)[:60]
    negotiation.save(update_fields=["accepted_version", "result_ref"])
    _decide(negotiation, State.ACCEPTED, actor=actor, now=now, reason=f"v{current.number} accepted")
    return {"negotiation_id": negotiation.pk, "version": current.number, "result_ref": negotiation.result_ref}


def accept(
    *, actor: User, negotiation: Negotiation | int, version: int, key: str | None = None, now: datetime | None = None
) -> Negotiation:
    """Accept version `version` (the current one, written by the other side): the mode's on_accept turns it into
    what it agrees to (an order). With an Idempotency-Key a repeat answers the same; without, accepting again is a
    Conflict (`already_accepted`), as is accepting an expired (`expired`) or superseded (`superseded`) version."""
    now = now or clock.now()
    pk = negotiation if isinstance(negotiation, int) else negotiation.pk
    signed_in(actor)
    replay_or_run(
        user=actor,
        scope="negotiation.accept",
        key=key,
        request_data={"negotiation": pk, "version": version},
        run=lambda: (200, _accept(actor, pk, version, now)),
    )
    return Negotiation.objects.get(pk=pk)


def _end(
    actor: User,
    negotiation: Negotiation | int,
    version: int | None,
    reason: str,
    now: datetime | None,
    *,
    to: str,
    responder: bool,
    verb: str,
) -> Negotiation:
    now = now or clock.now()
    negotiation = _locked(negotiation)
    _side, current = _checked_turn(actor, negotiation, now, version=version, responder=responder)
    _decide(negotiation, to, actor=actor, now=now, reason=reason or f"v{current.number} {verb}")
    return negotiation


@transaction.atomic
def decline(
    *,
    actor: User,
    negotiation: Negotiation | int,
    version: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Negotiation:
    """The side that did not write the current version refuses it; the negotiation ends."""
    return _end(actor, negotiation, version, reason, now, to=State.DECLINED, responder=True, verb="declined")


@transaction.atomic
def withdraw(
    *,
    actor: User,
    negotiation: Negotiation | int,
    version: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Negotiation:
    """The side that wrote the current version takes it back before it is answered; the negotiation ends."""
    return _end(actor, negotiation, version, reason, now, to=State.WITHDRAWN, responder=False, verb="withdrawn")


# --- timed rules ----------------------------------------------------------------------------------------------


def sweep_expired(now: datetime) -> int:
    """Open negotiations whose current version's validity has passed expire. Running it twice changes nothing."""
    done = 0
    due = Negotiation.objects.filter(state=State.OPEN, expires_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            negotiation = _locked(pk)
            if negotiation.state == State.OPEN and negotiation.expires_at <= now:  # re-checked under the lock
                reason = f"v{negotiation.current_version} expired"
                _decide(negotiation, State.EXPIRED, actor=None, now=now, reason=reason)
                done += 1
    return done


def sweep_expiry_reminders(now: datetime) -> int:
    """Once per version, 24 h before it expires, send `signals.expiring_soon` (notifications may subscribe)."""
    done = 0
    soon = Negotiation.objects.filter(state=State.OPEN, expires_at__gt=now, expires_at__lte=now + REMIND_BEFORE)
    for pk in list(soon.values_list("pk", flat=True)):
        with transaction.atomic():
            negotiation = _locked(pk)
            due = negotiation.state == State.OPEN and now < negotiation.expires_at <= now + REMIND_BEFORE
            if not due or negotiation.reminded_version >= negotiation.current_version:
                continue
            negotiation.reminded_version = negotiation.current_version
            negotiation.save(update_fields=["reminded_version"])
            signals.expiring_soon.send(Negotiation, negotiation=negotiation, version=_current(negotiation))
            done += 1
    return done
