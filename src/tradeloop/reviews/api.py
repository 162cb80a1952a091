"""reviews' part of the REST API."""

from ninja import Router

router = Router(tags=["Reviews"])
seller_router = Router(tags=["Reviews"])
