from django.urls import path  # noqa: F401

app_name = "b2b"
urlpatterns: list = []
