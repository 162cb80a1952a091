"""What the payments layer tells higher layers (orders, checkout, …), connected in their AppConfig.ready().

Each is sent after the change is saved, inside the same database transaction: a receiver that fails rolls the
change back with it (so a webhook is answered with an error and the provider retries). Receivers that talk to the
outside world should use `transaction.on_commit`.
"""

from django.dispatch import Signal

payment_captured = Signal()  # payment=Payment
payment_failed = Signal()  # payment=Payment (declined, expired or voided; see payment.state / failure_reason)
refund_succeeded = Signal()  # refund=Refund
payout_paid = Signal()  # payout=Payout
