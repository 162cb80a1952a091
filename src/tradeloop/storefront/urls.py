from django.urls import path

from tradeloop.storefront import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="products"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("p/<int:pk>/", views.product_detail, name="product_short"),
    path("p/<int:pk>/<str:slug>/", views.product_detail, name="product"),
    path("store/<slug:slug>/", views.store, name="store"),
]
