"""Reads of disputes and escrow, scoped to who asks: the order's buyer, or a member of its selling organization.
Anyone else gets 404. Query counts stay flat (select_related / prefetch_related)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.c2c.disputes import seller_org_ids
from tradeloop.c2c.models import Dispute, DisputeMessage, DisputePhoto, Escrow
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.orders.models import Order

ORDER = ("-opened_at", "-id")


def _signed_in(actor: User | None) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _with_thread(qs: QuerySet[Dispute]) -> QuerySet[Dispute]:
    messages = DisputeMessage.objects.select_related("author").prefetch_related(
        Prefetch("photos", DisputePhoto.objects.order_by("id"))
    )
    return qs.select_related("escrow__order__seller", "escrow__order__buyer").prefetch_related(
        Prefetch("messages", messages.order_by("created_at", "id"))
    )


def visible_disputes(actor: User, *, as_seller: bool | None = None) -> QuerySet[Dispute]:
    """The actor's disputes: as buyer (True: only as seller, False: only as buyer, None: both)."""
    if not _signed_in(actor):
        return Dispute.objects.none()
    buyer = Dispute.objects.filter(escrow__order__buyer=actor)
    seller = Dispute.objects.filter(escrow__order__seller_id__in=seller_org_ids(actor))
    qs = {True: seller, False: buyer, None: buyer | seller}[as_seller]
    return qs.select_related("escrow__order__seller", "escrow__order__buyer")


def disputes_page(actor: User, *, as_seller: bool | None = None, cursor: str | None = None, limit: int = 20) -> Page:
    return keyset_page(visible_disputes(actor, as_seller=as_seller), order=ORDER, cursor=cursor, limit=limit)


def dispute_for(actor: User, dispute_id: int) -> tuple[Dispute, str]:
    """One dispute with its thread, and the actor's side (buyer or seller); else 404."""
    if not _signed_in(actor):
        raise NotFound(gettext("Dispute not found."))
    dispute = _with_thread(Dispute.objects.filter(pk=dispute_id)).first()
    if dispute is None:
        raise NotFound(gettext("Dispute not found."))
    order = dispute.escrow.order
    if order.buyer_id == actor.pk:
        return dispute, DisputeMessage.Side.BUYER
    if order.seller_id in seller_org_ids(actor):
        return dispute, DisputeMessage.Side.SELLER
    raise NotFound(gettext("Dispute not found."))


def photo_for(actor: User, dispute_id: int, photo_id: int) -> DisputePhoto:
    dispute_for(actor, dispute_id)
    photo = DisputePhoto.objects.filter(pk=photo_id, message__dispute_id=dispute_id).first()
    if photo is None:
        raise NotFound(gettext("Photo not found."))
    return photo


def escrow_of(actor: User, order_id: int) -> tuple[Order, Escrow | None, list[Dispute]]:
    """An escrow order of the actor's (as buyer or seller) with its escrow and disputes; else 404."""
    if not _signed_in(actor):
        raise NotFound(gettext("Order not found."))
    order = Order.objects.filter(pk=order_id, held_in_escrow=True).select_related("seller").first()
    if order is None or (order.buyer_id != actor.pk and order.seller_id not in seller_org_ids(actor)):
        raise NotFound(gettext("Order not found."))
    escrow = Escrow.objects.filter(order=order).first()
    found = list(Dispute.objects.filter(escrow=escrow).order_by("-opened_at", "-id")) if escrow else []
    return order, escrow, found


def open_dispute_of(escrow: Escrow | None) -> Dispute | None:
    if escrow is None:
        return None
    return Dispute.objects.filter(escrow=escrow, state__in=Dispute.OPEN).first()
