from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class C2cConfig(AppConfig):
    name = "tradeloop.c2c"
    label = "c2c"
    verbose_name = _("C2C marketplace")

    def ready(self) -> None:
        """Registers c2c's policies with the lower layers (the offer policy, escrow on payment and shipping)."""
        from tradeloop.c2c import escrow, offers, watching

        escrow.register()
        from tradeloop.c2c import standing

        standing.register()  # seller levels follow their escrow orders (c2c.standing)
        offers.register()  # the OFFER policy of the negotiation engine
        watching.connect()  # price drops and new listings → watchers' and saved searches' alerts
        from tradeloop.c2c import reputation

        reputation.register()  # its ratings and disputes on the sellers' reputation pages (reviews.reputation)
        from tradeloop.c2c import search_levels

        search_levels.register()  # sellers' levels as a search facet and in ranking (search.ranking)
        from tradeloop.c2c import notices

        notices.register()  # a dispute opened → the seller's notice, e-mail and webhooks (notifications)
        from tradeloop.c2c import analytics_block

        analytics_block.register()  # offers and escrow on the analytics dashboard (analytics.blocks)
