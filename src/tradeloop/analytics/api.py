from __future__ import annotations

from ninja import Router

router = Router(tags=["Analytics"])
seller_router = Router(tags=["Analytics"])
