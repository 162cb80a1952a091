"""The C2C block of the analytics dashboard: offers made and accepted in the period, and the escrow (held now,
released and refunded in the period), registered into analytics.blocks from C2cConfig.ready()."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tradeloop.analytics.blocks import Block, Figure, Step, register_block
from tradeloop.c2c.models import Escrow
from tradeloop.core.money import Money
from tradeloop.negotiation.models import Negotiation


def figures(seller, start: datetime, end: datetime) -> Block:
    """Two queries."""
    offers = Negotiation.objects.filter(kind=Negotiation.Kind.OFFER, created_at__gte=start, created_at__lt=end)
    escrows = Escrow.objects.all()
    if seller is not None:
        offers = offers.filter(seller=seller)
        escrows = escrows.filter(order__seller=seller)
    made = offers.aggregate(
        made=Count("pk"),
        accepted=Count("pk", filter=Q(state=Negotiation.State.ACCEPTED)),
        declined=Count("pk", filter=Q(state__in=(Negotiation.State.DECLINED, Negotiation.State.EXPIRED))),
    )
    currency = seller.currency if seller is not None else "CNY"
    closed_in_period = Q(closed_at__gte=start, closed_at__lt=end)
    money = escrows.filter(currency=currency).aggregate(
        held=Sum("amount", filter=Q(state__in=(Escrow.State.HELD, Escrow.State.DISPUTED))),
        released=Sum("amount", filter=closed_in_period & Q(state=Escrow.State.RELEASED)),
        refunded=Count("pk", filter=closed_in_period & Q(state=Escrow.State.REFUNDED)),
        disputed=Count("pk", filter=Q(state=Escrow.State.DISPUTED)),
    )
    rate = (Decimal(made["accepted"]) * 100 / made["made"]).quantize(Decimal("0.1")) if made["made"] else None
    return Block(
        key="c2c",
        title=_("Offers and escrow (C2C)"),
        funnel=[Step("offers", _("Offers made"), made["made"]), Step("accepted", _("Accepted"), made["accepted"])],
        figures=[
            Figure("acceptance", _("Offers accepted"), rate, "percent"),
            Figure("held", _("Held in escrow now"), Money(money["held"] or 0, currency), "money"),
            Figure("released", _("Released to you in the period"), Money(money["released"] or 0, currency), "money"),
            Figure("refunded", _("Escrows refunded in the period"), money["refunded"]),
            Figure("disputed", _("Open disputes"), money["disputed"]),
        ],
    )


def register() -> None:
    register_block("c2c", title=_("Offers and escrow (C2C)"), kinds=("personal",), compute=figures)
