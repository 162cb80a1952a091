from __future__ import annotations

from ninja import Router

router = Router(tags=["Customers"])
seller_router = Router(tags=["Customers"])
