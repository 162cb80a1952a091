"""b2b's API: this module only puts the feature routers together (company_api, rfq_api, showcase_api); tradeloop.api.api mounts
`router` under /api/v1/ and `seller_router` under /api/v1/seller/."""

from __future__ import annotations

from ninja import Router

from tradeloop.b2b import company_api, rfq_api, showcase_api

router = Router()
seller_router = Router()
router.add_router("", rfq_api.router)
router.add_router("", company_api.router)
router.add_router("", showcase_api.router)
seller_router.add_router("", rfq_api.seller_router)
seller_router.add_router("", showcase_api.seller_router)
