"""Reads of the negotiation engine, scoped to the acting user's side: the buyer (the user, or a member of the buying
organization) or a member of the selling organization. Anyone else's negotiation does not exist for them (404)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import memberships_of
from tradeloop.core.errors import NotAuthenticated, NotFound, PermissionDenied
from tradeloop.negotiation.models import Negotiation, Proposal, ProposalLine, Side

BUY = "purchasing"  # a buying organization's member who may counter and accept for it
SELL = "orders.fulfil"  # a selling organization's member who may quote, counter and accept
VIEW = "orders.view"  # either organization's member who may read the thread


def signed_in(actor: User | None) -> User:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    return actor


def _grants(actor: User) -> dict[int, set[str]]:
    """organization id → which of BUY, SELL, VIEW the actor's role grants there (one query)."""
    return {m.organization_id: {cap for cap in (BUY, SELL, VIEW) if m.role.grants(cap)} for m in memberships_of(actor)}


def org_ids(actor: User, *capabilities: str) -> set[int]:
    """The actor's organizations in which its role grants any of `capabilities` (none given: all of them)."""
    return {org for org, caps in _grants(actor).items() if not capabilities or caps & set(capabilities)}


def side_of(actor: User, negotiation: Negotiation, *, acting: bool) -> str:
    """The actor's side: the buyer (the user, or a member of the buying organization) or the seller's member.

    A non-party gets NotFound (it does not exist for them); a member whose role may read but not act, when acting,
    gets PermissionDenied."""
    signed_in(actor)
    if actor.pk == negotiation.buyer_id:
        return Side.BUYER
    grants = _grants(actor)
    for side, org, cap in ((Side.BUYER, negotiation.buyer_org_id, BUY), (Side.SELLER, negotiation.seller_id, SELL)):
        caps = grants.get(org, set()) if org else set()
        if cap in caps:
            return side
        if VIEW in caps:
            if not acting:
                return side
            raise PermissionDenied(gettext("your role does not allow you to negotiate for this organization"))
    raise NotFound(gettext("negotiation not found"), field="negotiation")


def _scope(actor: User, side: str | None) -> Q:
    grants = _grants(actor)
    buying = {org for org, caps in grants.items() if caps & {BUY, VIEW}}
    selling = {org for org, caps in grants.items() if caps & {SELL, VIEW}}
    as_buyer = Q(buyer=actor) | Q(buyer_org_id__in=buying)
    as_seller = Q(seller_id__in=selling)
    return {Side.BUYER: as_buyer, Side.SELLER: as_seller}.get(side, as_buyer | as_seller)


def _versions() -> Prefetch:
    return Prefetch(
        "proposals",
        queryset=Proposal.objects.select_related("author").prefetch_related(
            Prefetch("lines", queryset=ProposalLine.objects.select_related("variant"))
        ),
        to_attr="versions",
    )


def negotiations_of(
    actor: User, *, side: str | None = None, kind: str | None = None, state: str | None = None
) -> QuerySet[Negotiation]:
    """The actor's negotiations, newest first, each with `versions` (oldest first) and their lines: a fixed number of
    queries however many there are. `side` keeps only those where the actor buys (`buyer`) or sells (`seller`)."""
    signed_in(actor)
    qs = Negotiation.objects.filter(_scope(actor, side))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("buyer", "buyer_org", "seller", "product").prefetch_related(_versions())


def thread(actor: User, negotiation_id: int) -> Negotiation:
    """One negotiation with all its versions (`versions`, oldest first) and their lines; 404 for a non-party."""
    signed_in(actor)
    found = negotiations_of(actor).filter(pk=negotiation_id).first()
    if found is None:
        raise NotFound(gettext("negotiation not found"), field="negotiation")
    return found


def _pair(old, new) -> dict | None:
    return None if old == new else {"old": old, "new": new}


def _line_changes(old: ProposalLine | None, new: ProposalLine | None) -> dict | None:
    if old is None or new is None:
        line = new or old
        return {
            "key": line.key,
            "change": "added" if old is None else "removed",
            "description": line.description,
            "variant_id": line.variant_id,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount": line.discount,
        }
    fields = {name: _pair(getattr(old, name), getattr(new, name)) for name in ("quantity", "unit_price", "discount")}
    fields = {name: pair for name, pair in fields.items() if pair}
    if not fields:
        return None
    return {"key": new.key, "change": "changed", "description": new.description, "variant_id": new.variant_id, **fields}


def diff(older: Proposal, newer: Proposal) -> dict:
    """What changed from one version to another, as plain data: per line (added, removed, or the quantity, unit
    price and discount as {"old", "new"}), and the shipping, payment terms, validity and note when they differ."""
    old_lines = {line.key: line for line in older.lines.all()}
    new_lines = {line.key: line for line in newer.lines.all()}
    keys = list(old_lines) + [key for key in new_lines if key not in old_lines]
    lines = [change for key in keys if (change := _line_changes(old_lines.get(key), new_lines.get(key)))]
    terms = {
        name: pair
        for name in ("shipping", "payment_terms", "terms_text", "valid_until", "note")
        if (pair := _pair(getattr(older, name), getattr(newer, name)))
    }
    return {"from": older.number, "to": newer.number, "lines": lines, **terms}
