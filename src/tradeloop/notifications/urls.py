from django.urls import path

from tradeloop.notifications import views

app_name = "notifications"
urlpatterns: list = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:notification_id>/open/", views.open_one, name="open"),
    path("notifications/<int:notification_id>/read/", views.read_one, name="read"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("console/<int:org_id>/webhooks/", views.console_webhooks, name="console_webhooks"),
    path("console/<int:org_id>/webhooks/<int:endpoint_id>/", views.console_endpoint, name="console_endpoint"),
]
