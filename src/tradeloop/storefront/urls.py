from django.urls import path

from tradeloop.storefront import seo_sitemaps, seo_views, views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="products"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("p/<int:pk>/", views.product_detail, name="product_short"),
    path("p/<int:pk>/<str:slug>/", views.product_detail, name="product"),
    path("store/<slug:slug>/", views.store, name="store"),
    path("local/deals/<int:deal_id>/<str:slug>/", seo_views.deal, name="deal"),
    path("local/places/<int:place_id>/<str:slug>/", seo_views.place, name="place"),
    path("local/services/<int:service_id>/<str:slug>/", seo_views.service, name="service"),
    path("robots.txt", seo_sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", seo_sitemaps.sitemap_index, name="sitemap"),
    path("sitemaps/<slug:name>-<int:page>.xml", seo_sitemaps.sitemap_section, name="sitemap_section"),
]
