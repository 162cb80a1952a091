from __future__ import annotations

from ninja import Router

router = Router(tags=["Search"])
seller_router = Router(tags=["Search"])
