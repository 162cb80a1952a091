"""What fulfilment tells the apps above it (notifications), connected in their AppConfig.ready().

Sent inside the transaction that made the change; receivers that reach the outside world use `transaction.on_commit`.
"""

from django.dispatch import Signal

shipped = Signal()  # shipment=Shipment (a parcel left: its lines are in shipment.lines)
ship_deadline_near = Signal()  # order=Order (its ship-by time is less than a day away and nothing or part shipped)
