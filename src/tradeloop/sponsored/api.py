"""sponsored's part of the REST API."""

from ninja import Router

router = Router(tags=["Sponsored placement"])
seller_router = Router(tags=["Sponsored placement"])
