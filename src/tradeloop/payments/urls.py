from django.urls import path

from tradeloop.payments import views

app_name = "payments"

urlpatterns = [
    # The sandbox gateway's hosted payment page (a real provider hosts this page on its own site).
    path("pay/sandbox/<str:token>/", views.sandbox_page, name="sandbox_page"),
    # The seller console's Payouts page.
    path("console/<int:org_id>/payouts/", views.console_payouts, name="console_payouts"),
    path("console/<int:org_id>/payouts/request/", views.console_request_payout, name="console_request_payout"),
]
