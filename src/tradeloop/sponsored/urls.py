from django.urls import path

from tradeloop.sponsored import views

app_name = "sponsored"
urlpatterns: list = [
    path("sponsored/click/<str:token>/", views.click, name="click"),
    path("sponsored/slot/category/<slug:slug>/", views.category_slot, name="category_slot"),
]
