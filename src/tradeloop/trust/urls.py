from django.urls import path

from tradeloop.trust import views

app_name = "trust"
urlpatterns: list = [
    path("console/<int:org_id>/verification/", views.console, name="console"),
    path("console/<int:org_id>/verification/documents/", views.console_upload, name="console_upload"),
    path(
        "console/<int:org_id>/verification/documents/<int:document_id>/remove/",
        views.console_remove,
        name="console_remove",
    ),
    path("console/<int:org_id>/verification/submit/", views.console_submit, name="console_submit"),
    path("verification/documents/<int:document_id>/", views.document, name="document"),
]
