"""What after-sales tells the apps above it (notifications), connected in their AppConfig.ready().

Sent inside the transaction that made the change; receivers that reach the outside world use `transaction.on_commit`.
"""

from django.dispatch import Signal

return_refunded = Signal()  # return_request=ReturnRequest (the money went back to the buyer)
return_rejected = Signal()  # return_request=ReturnRequest (decision_note says why)
