"""What invoicing tells the apps above it (notifications), connected in their AppConfig.ready().

Sent inside the transaction that made the change; receivers that reach the outside world use `transaction.on_commit`.
"""

from django.dispatch import Signal

invoice_issued = Signal()  # invoice=Invoice
invoice_paid = Signal()  # invoice=Invoice, payment=InvoicePayment (a payment was recorded; invoice.state tells all)
# A reminder is due, once per (invoice, key): key "due_soon" (3 days before), "due_today", "overdue:<n>" (every
# 7 days overdue, n = 1, 2, …). Sent by sweep_invoice_reminders.
invoice_reminder = Signal()  # invoice=Invoice, key=str
