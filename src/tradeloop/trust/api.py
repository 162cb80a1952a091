"""trust's part of the REST API."""

from ninja import Router

router = Router(tags=["Seller verification"])
seller_router = Router(tags=["Seller verification"])
