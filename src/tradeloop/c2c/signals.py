"""c2c's own signals: listings (c2c.listings) send them, watching (c2c.watching) listens."""

from django.dispatch import Signal

listing_price_changed = Signal()  # listing, old, new
listing_published = Signal()  # listing
