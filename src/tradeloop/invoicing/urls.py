from django.urls import path

from tradeloop.invoicing import views

app_name = "invoicing"

urlpatterns = [
    # The buying organization's side.
    path("invoices/", views.my_invoices, name="list"),
    path("invoices/<int:invoice_id>/", views.detail, name="detail"),
    path("invoices/<int:invoice_id>/pdf/", views.pdf, name="pdf"),
    path("invoices/<int:invoice_id>/pay/", views.pay, name="pay"),
    # The seller console's Invoices desk.
    path("console/<int:org_id>/invoices/", views.console_invoices, name="console_invoices"),
    path("console/<int:org_id>/invoices/<int:invoice_id>/", views.console_invoice, name="console_invoice"),
    path("console/<int:org_id>/invoices/<int:invoice_id>/pdf/", views.console_pdf, name="console_pdf"),
]
