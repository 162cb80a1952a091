from django.urls import path  # noqa: F401

app_name = "store_design"
urlpatterns: list = []
