"""The header's cart badge: the number of items in the visitor's cart, counted once per request, only if shown."""

from __future__ import annotations

from django.http import HttpRequest

from tradeloop.checkout import selectors


def cart(request: HttpRequest) -> dict:
    def count() -> int:
        if not hasattr(request, "_cart_count"):
            request._cart_count = selectors.cart_count(selectors.owner_of(request))
        return request._cart_count

    return {"cart_count": count}
