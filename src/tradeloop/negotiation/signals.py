"""What the engine tells higher layers (notifications, the modes) without importing them."""

from django.dispatch import Signal

# sent once per version, about 24 h before it expires: negotiation=, version= (the Proposal)
expiring_soon = Signal()
