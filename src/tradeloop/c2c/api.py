"""c2c's part of the REST API: one router per feature module, put together here."""

from ninja import Router

router = Router(tags=["C2C"])
seller_router = Router(tags=["C2C"])
