from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class O2oConfig(AppConfig):
    name = "tradeloop.o2o"
    label = "o2o"
    verbose_name = _("O2O local services")

    def ready(self) -> None:
        # each feature module connects its receivers here, in its own block
        # bookings: a booking's deposit order paid or cancelled
        from tradeloop.o2o import bookings

        bookings.register()
        # consumer requests: the REQUEST policy of the negotiation engine
        from tradeloop.o2o import local_requests

        local_requests.register()
        # reviews: vouchers redeemed and bookings completed are the records that let a consumer review a place
        from tradeloop.o2o import review_records

        review_records.register()
        # deals and vouchers: a deal's order paid → its vouchers; cancelled → its units back, its vouchers closed
        from tradeloop.o2o import vouchers

        vouchers.register()
        # search: places are a document source of the one search box, followed when they change
        from tradeloop.o2o import search_source

        search_source.register()
        # notifications: vouchers redeemed and bookings confirmed → webhooks; expiring vouchers → their buyers' notices
        from tradeloop.o2o import notices

        notices.register()
        # analytics: deal sales and the redemption rate on the dashboard (analytics.blocks)
        from tradeloop.o2o import analytics_block

        analytics_block.register()
