"""Reads of payments and payouts, scoped to the acting user."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.core.errors import NotAuthenticated, NotFound
from tradeloop.core.money import Money
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.ledger.selectors import seller_balances
from tradeloop.payments import signals
from tradeloop.payments.models import Payment, Payout


def seller_payouts(*, actor: User, seller: Organization) -> QuerySet[Payout]:
    """The seller's payouts, newest first (needs finance.view)."""
    require(actor, seller, "finance.view")
    return Payout.objects.filter(seller=seller).select_related("requested_by").order_by("-created_at", "-id")


def payouts_page(*, actor: User, seller: Organization | None, cursor: str | None, limit: int) -> Page:
    """One organization's payouts (its members with finance.view); operators (staff) may list everyone's."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("sign in first")
    if seller is not None:
        payouts = seller_payouts(actor=actor, seller=seller)
    elif actor.is_staff:
        payouts = Payout.objects.select_related("requested_by")
    else:
        org_ids = [m.organization_id for m in actor.memberships.select_related("role") if m.role.grants("finance.view")]
        payouts = Payout.objects.filter(seller_id__in=org_ids).select_related("requested_by")
    return keyset_page(payouts.select_related("seller"), order=("-created_at", "-id"), cursor=cursor, limit=limit)


def payment_by_token(token: str) -> Payment:
    payment = Payment.objects.filter(token=token).first()
    if payment is None:
        raise NotFound("payment not found")
    return payment


@dataclass(frozen=True)
class ItemBought:
    title: str
    quantity: int


@dataclass(frozen=True)
class PayeeShare:
    """One seller's part of a payment: who receives it, for which items, how much."""

    payee: str
    items: list[ItemBought]
    amount: Money


def what_it_pays(payment: Payment) -> list[PayeeShare]:
    """Whom the payment pays and for what, as told by the apps that took it (orders, later deals and quotes)."""
    shares: list[PayeeShare] = []
    for _receiver, answer in signals.describe_payment.send(sender=Payment, payment=payment):
        shares.extend(answer or [])
    return shares


def payment_for_payer(actor: User, token: str) -> Payment:
    """The payer sees their payment; anyone else gets 404."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("sign in first")
    payment = Payment.objects.filter(token=token, payer=actor).prefetch_related("refunds").first()
    if payment is None:
        raise NotFound("payment not found")
    return payment


@dataclass
class PayoutsOverview:
    balances: dict[str, dict[str, Money]]  # {currency: {"pending": Money, "available": Money}}
    payouts: list[Payout]

    @property
    def has_available(self) -> bool:
        return any(parts["available"].amount > 0 for parts in self.balances.values())


def payouts_overview(*, actor: User, seller: Organization, limit: int = 50) -> PayoutsOverview:
    """The console's Payouts page: balances from the ledger and the latest payouts (needs finance.view)."""
    require(actor, seller, "finance.view")
    payouts = Payout.objects.filter(seller=seller).select_related("requested_by").order_by("-created_at", "-id")
    return PayoutsOverview(balances=seller_balances(seller), payouts=list(payouts[:limit]))
