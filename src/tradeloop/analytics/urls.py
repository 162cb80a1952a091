from django.urls import path

from tradeloop.analytics import views

app_name = "analytics"
urlpatterns: list = [
    path("console/<int:org_id>/analytics/", views.console_dashboard, name="console_dashboard"),
    path("console/<int:org_id>/analytics.csv", views.console_csv, name="console_csv"),
    path("console/platform/analytics/", views.platform_dashboard, name="platform_dashboard"),
    path("console/platform/analytics.csv", views.platform_csv, name="platform_csv"),
]
