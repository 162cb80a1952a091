"""The REST API under /api/v1/: OpenAPI at openapi.json, interactive docs at docs.

Each app contributes a django-ninja router from its own `api.py`; this module only puts them together.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from tradeloop.accounts import api as accounts_api
from tradeloop.aftersales import api as aftersales_api
from tradeloop.analytics import api as analytics_api
from tradeloop.b2b import api as b2b_api
from tradeloop.c2c import api as c2c_api
from tradeloop.catalog import api as catalog_api
from tradeloop.checkout import api as checkout_api
from tradeloop.conversations import api as conversations_api
from tradeloop.core import api_errors as errors
from tradeloop.core.api_parser import StrictJsonParser
from tradeloop.crm import api as crm_api
from tradeloop.feedback import api as feedback_api
from tradeloop.fulfilment import api as fulfilment_api
from tradeloop.inventory import api as inventory_api
from tradeloop.invoicing import api as invoicing_api
from tradeloop.ledger import api as ledger_api
from tradeloop.notifications import api as notifications_api
from tradeloop.o2o import api as o2o_api
from tradeloop.orders import api as orders_api
from tradeloop.payments import api as payments_api
from tradeloop.pricing import api as pricing_api
from tradeloop.promotions import api as promotions_api
from tradeloop.reviews import api as reviews_api
from tradeloop.search import api as search_api
from tradeloop.sponsored import api as sponsored_api
from tradeloop.trust import api as trust_api

DESCRIPTION = """\
Tradeloop's REST API.

**Authentication.** Programs send `Authorization: Bearer <token>`; get a token from `POST /api/v1/auth/token`
with your e-mail and password. The web uses its session (with the `X-CSRFToken` header on unsafe methods).
Endpoints marked with a lock need one of the two; the goods catalogue (`products`, `categories`) is public.

**Errors.** Every 4xx answer has the body `{"code": "...", "message": "...", "field": "..." | null}`.
`field` names the input at fault (`variants.0.price` for a nested one).

**Lists** are keyset-paginated: pass `cursor` (the previous page's `next_cursor`) and `limit` (1–100, default 24);
`next_cursor` is null on the last page.

**Money** is a decimal string (`"12.50"`) beside a currency code (`"CNY"`), never a float.

**Tenancy.** Another organization's objects answer 404; a member whose role lacks the capability gets 403.
"""


def index(request: HttpRequest, **kwargs) -> JsonResponse:
    """/api/v1/ itself: where to read about the API."""
    base = request.path
    return JsonResponse(
        {"name": api.title, "version": api.version, "openapi": f"{base}openapi.json", "docs": f"{base}docs"}
    )


class TradeloopAPI(NinjaAPI):
    """ninja, plus JSON answers where it would give Django's HTML 404 or an empty 405."""

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":  # ninja's root raises a 404; keep the route (ninja reverses it)
                    pattern.callback = index
                pattern.callback = errors.limit_body(errors.json_method_not_allowed(pattern.callback))
        urls.append(re_path(r"^(?P<rest>.*)$", errors.unknown_path))
        return urls

    def get_openapi_schema(self, **kwargs) -> dict:
        return errors.document_common_errors(super().get_openapi_schema(**kwargs))


api = TradeloopAPI(
    title="Tradeloop API", version="1", urls_namespace="api", description=DESCRIPTION, parser=StrictJsonParser()
)
errors.install(api)

api.add_router("", accounts_api.router)
api.add_router("", catalog_api.router)
api.add_router("seller", catalog_api.seller_router)
api.add_router("seller", inventory_api.seller_router)
api.add_router("", checkout_api.router)
api.add_router("", orders_api.router)
api.add_router("seller", orders_api.seller_router)
api.add_router("", ledger_api.router)
api.add_router("", payments_api.router)
api.add_router("", fulfilment_api.router)
api.add_router("seller", fulfilment_api.seller_router)
api.add_router("", aftersales_api.router)
api.add_router("seller", aftersales_api.seller_router)
api.add_router("", invoicing_api.router)
api.add_router("seller", invoicing_api.seller_router)
api.add_router("", promotions_api.router)
api.add_router("seller", promotions_api.seller_router)
api.add_router("", pricing_api.router)
api.add_router("seller", pricing_api.seller_router)
api.add_router("", conversations_api.router)
api.add_router("", b2b_api.router)
api.add_router("seller", b2b_api.seller_router)
api.add_router("", c2c_api.router)
api.add_router("seller", c2c_api.seller_router)
api.add_router("", o2o_api.router)
api.add_router("seller", o2o_api.seller_router)
api.add_router("", reviews_api.router)
api.add_router("seller", reviews_api.seller_router)
api.add_router("", search_api.router)
api.add_router("seller", search_api.seller_router)
api.add_router("", analytics_api.router)
api.add_router("seller", analytics_api.seller_router)
api.add_router("", crm_api.router)
api.add_router("seller", crm_api.seller_router)
api.add_router("", feedback_api.router)
api.add_router("seller", feedback_api.seller_router)
api.add_router("", trust_api.router)
api.add_router("seller", trust_api.seller_router)
api.add_router("", sponsored_api.router)
api.add_router("seller", sponsored_api.seller_router)
api.add_router("", notifications_api.router)
api.add_router("", notifications_api.webhook_router)
