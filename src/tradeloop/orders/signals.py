"""What orders tell the apps above them (notifications, …), connected in their AppConfig.ready().

Sent inside the transaction that made the change; receivers that reach the outside world use `transaction.on_commit`.
"""

from django.dispatch import Signal

# order=Order, old=str ("" when the order was just placed), new=str, actor=User | None
order_changed = Signal()
# order=Order, amount=Money, ref=str: part of a paid order was given back (order.refunded_total is raised already)
order_refunded = Signal()
