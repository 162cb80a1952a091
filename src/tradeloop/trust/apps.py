from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "tradeloop.trust"
    label = "trust"
    verbose_name = _("Seller verification")

    def ready(self) -> None:
        from tradeloop.payments import holds
        from tradeloop.search import sources
        from tradeloop.trust import selectors

        holds.register(selectors.held_ids)  # unverified and pending sellers' payouts wait
        sources.register_standing(selectors.standings)  # verified sellers get a lift in search
