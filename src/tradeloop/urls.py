from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from tradeloop.api.api import api
from tradeloop.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("tradeloop.accounts.urls")),
    path("console/", include("tradeloop.console.urls")),
    path("", include("tradeloop.checkout.urls")),
    path("", include("tradeloop.orders.urls")),
    path("", include("tradeloop.inventory.urls")),
    path("", include("tradeloop.payments.urls")),
    path("", include("tradeloop.fulfilment.urls")),
    path("", include("tradeloop.aftersales.urls")),
    path("", include("tradeloop.invoicing.urls")),
    path("", include("tradeloop.promotions.urls")),
    path("", include("tradeloop.pricing.urls")),
    path("", include("tradeloop.conversations.urls")),
    path("", include("tradeloop.b2b.urls")),
    path("", include("tradeloop.c2c.urls")),
    path("", include("tradeloop.o2o.urls")),
    path("", include("tradeloop.reviews.urls")),
    path("", include("tradeloop.search.urls")),
    path("", include("tradeloop.analytics.urls")),
    path("", include("tradeloop.crm.urls")),
    path("", include("tradeloop.feedback.urls")),
    path("", include("tradeloop.trust.urls")),
    path("", include("tradeloop.sponsored.urls")),
    path("", include("tradeloop.notifications.urls")),
    path("", include("tradeloop.storefront.design_urls")),
    path("", include("tradeloop.storefront.urls")),
]
if settings.SERVE_MEDIA:  # embedded mode: no separate file server in front of us
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
