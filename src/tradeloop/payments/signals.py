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

# A question, not news: "what does this payment pay for?" Receivers (the apps that take payments: orders) return a
# list of payments.selectors.PayeeShare for the payments that are theirs, [] for the others. Read by the gateway's
# page, so the buyer sees whom they pay and for what.
describe_payment = Signal()  # payment=Payment -> list[PayeeShare]
