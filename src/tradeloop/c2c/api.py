"""c2c's part of the REST API: one router per feature module, put together here."""

from ninja import Router

router = Router(tags=["C2C"])
seller_router = Router(tags=["C2C"])

from tradeloop.c2c import watch_api  # noqa: E402

router.add_router("", watch_api.router)

from tradeloop.c2c import dispute_api, escrow_api  # noqa: E402

router.add_router("", escrow_api.router)
router.add_router("", dispute_api.router)

from tradeloop.c2c import offer_api  # noqa: E402

router.add_router("", offer_api.router)

from tradeloop.c2c import rating_api  # noqa: E402

router.add_router("", rating_api.router)

from tradeloop.c2c import listing_api  # noqa: E402

router.add_router("", listing_api.router)
