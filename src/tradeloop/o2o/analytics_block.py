"""The O2O block of the analytics dashboard: deal vouchers sold in the period and what became of them (redeemed,
refunded, expired), the redemption rate, registered into analytics.blocks from O2oConfig.ready()."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tradeloop.analytics.blocks import Block, Figure, Step, register_block
from tradeloop.core.money import Money
from tradeloop.o2o.models import Voucher

SOLD = (Voucher.State.VALID, Voucher.State.REDEEMED, Voucher.State.REFUNDED, Voucher.State.EXPIRED)


def figures(seller, start: datetime, end: datetime) -> Block:
    """One query: the vouchers bought in the period (a cohort), counted by what they became."""
    vouchers = Voucher.objects.filter(created_at__gte=start, created_at__lt=end, state__in=SOLD)
    if seller is not None:
        vouchers = vouchers.filter(order__seller=seller)
    currency = seller.currency if seller is not None else "CNY"
    got = vouchers.aggregate(
        sold=Count("pk"),
        redeemed=Count("pk", filter=Q(state=Voucher.State.REDEEMED)),
        refunded=Count("pk", filter=Q(state=Voucher.State.REFUNDED)),
        expired=Count("pk", filter=Q(state=Voucher.State.EXPIRED)),
        sales=Sum("price", filter=Q(currency=currency) & ~Q(state=Voucher.State.REFUNDED)),
    )
    rate = (Decimal(got["redeemed"]) * 100 / got["sold"]).quantize(Decimal("0.1")) if got["sold"] else None
    return Block(
        key="o2o",
        title=_("Deals and redemption (O2O)"),
        funnel=[Step("sold", _("Vouchers sold"), got["sold"]), Step("redeemed", _("Redeemed"), got["redeemed"])],
        figures=[
            Figure("sales", _("Deal sales (not refunded)"), Money(got["sales"] or 0, currency), "money"),
            Figure("redemption_rate", _("Redemption rate"), rate, "percent"),
            Figure("refunded", _("Vouchers refunded"), got["refunded"]),
            Figure("expired", _("Vouchers expired"), got["expired"]),
        ],
    )


def register() -> None:
    register_block("o2o", title=_("Deals and redemption (O2O)"), kinds=("local_business",), compute=figures)
