"""o2o's part of the REST API: one router per feature module, put together here (each in its own block)."""

from ninja import Router

router = Router(tags=["O2O"])
seller_router = Router(tags=["O2O"])
