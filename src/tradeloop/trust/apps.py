from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "tradeloop.trust"
    label = "trust"
    verbose_name = _("Seller verification")

    def ready(self) -> None:
        from tradeloop.accounts import marks
        from tradeloop.payments import holds
        from tradeloop.search import sources
        from tradeloop.trust import selectors

        holds.register(  # unverified and pending sellers' payouts wait
            selectors.held_ids,
            reason=_("Your store is not verified yet: its balance is paid out once the operator approves it."),
            url_name="trust:console",
        )
        sources.register_standing(selectors.standings)  # verified sellers get a lift in search
        marks.register_verified(selectors.verified_ids)  # the catalog API's seller says `verified`
