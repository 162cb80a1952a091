from __future__ import annotations

from ninja import Router

router = Router(tags=["Buyer feedback"])
seller_router = Router(tags=["Buyer feedback"])
