from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class B2bConfig(AppConfig):
    name = "tradeloop.b2b"
    label = "b2b"
    verbose_name = _("B2B trade")

    def ready(self) -> None:
        """Registers b2b's policies with the lower layers (placement gates, buyer context, quote policy)."""
        from tradeloop.b2b import approvals, companies, credit, quotes, unmet_demand
        from tradeloop.orders import policies, signals
        from tradeloop.orders import services as orders

        quotes.register()  # the quote policy: validity, counters, accept → B2B order
        unmet_demand.register()  # the value ring: RFQs nobody quoted count as unmet demand (feedback.demand)
        # companies: on credit terms within the credit limit; over a spending limit waits for an approver
        orders.register_placement_gate("b2b.credit", credit.credit_gate)
        orders.register_placement_gate("b2b.spending_limit", approvals.spending_gate)
        policies.register_buyer_context(companies.buyer_context)
        signals.order_changed.connect(approvals.on_order_changed, dispatch_uid="b2b.approval_expired")
        from tradeloop.b2b import analytics_block

        analytics_block.register()  # the inquiry funnel on the analytics dashboard (analytics.blocks)
        from tradeloop.b2b.models import SupplierProfile
        from tradeloop.core import page_cache

        page_cache.register(SupplierProfile)  # the showcase on a supplier's store page: a saved change shows at once
