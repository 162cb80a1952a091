"""The one Celery app: workers run tasks, one beat runs the timed rules (sweeps)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")

app = Celery("tradeloop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "expire-invitations": {"task": "tradeloop.accounts.tasks.expire_invitations", "schedule": 300.0},
    "expire-payments": {"task": "tradeloop.payments.tasks.expire_payments", "schedule": 60.0},
    "ship-deadlines": {"task": "tradeloop.fulfilment.tasks.ship_deadlines", "schedule": 300.0},
    "cancel-unpaid-orders": {"task": "tradeloop.orders.tasks.cancel_unpaid_orders", "schedule": 60.0},
    "expire-checkouts": {"task": "tradeloop.checkout.tasks.expire_checkouts", "schedule": 60.0},
    "release-expired-reservations": {
        "task": "tradeloop.inventory.tasks.release_expired_reservations",
        "schedule": 60.0,
    },
    "expire-negotiations": {"task": "tradeloop.negotiation.tasks.expire_negotiations", "schedule": 60.0},
    "remind-expiring-negotiations": {
        "task": "tradeloop.negotiation.tasks.remind_expiring_negotiations",
        "schedule": 900.0,
    },
    "remind-invoices": {"task": "tradeloop.invoicing.tasks.remind_invoices", "schedule": 3600.0},
    "retry-webhooks": {"task": "tradeloop.notifications.tasks.retry_webhooks", "schedule": 60.0},
    "close-rfqs": {"task": "tradeloop.b2b.tasks.close_rfqs", "schedule": 300.0},
    "complete-orders": {"task": "tradeloop.orders.tasks.complete_orders", "schedule": 900.0},
    "c2c-auto-confirm": {"task": "tradeloop.c2c.tasks.sweep_auto_confirm", "schedule": 300.0},
    "c2c-dispute-deadlines": {"task": "tradeloop.c2c.tasks.sweep_dispute_deadlines", "schedule": 300.0},
    "c2c-expire-listings": {"task": "tradeloop.c2c.tasks.sweep_expired_listings", "schedule": 900.0},
    "c2c-refresh-standings": {
        "task": "tradeloop.c2c.tasks.refresh_all_standings",
        "schedule": crontab(hour=2, minute=30),
    },
    # o2o bookings
    "o2o-lapse-bookings": {"task": "tradeloop.o2o.tasks.sweep_lapsed_bookings", "schedule": 300.0},
    "o2o-expiring-vouchers": {"task": "tradeloop.o2o.tasks.sweep_expiring_vouchers", "schedule": 3600.0},
    "o2o-booking-reminders": {"task": "tradeloop.o2o.tasks.sweep_booking_reminders", "schedule": 900.0},
    # o2o consumer requests
    "o2o-expire-requests": {"task": "tradeloop.o2o.tasks.sweep_expired_requests", "schedule": 300.0},
    # o2o deals and vouchers
    "o2o-sweep-deals": {"task": "tradeloop.o2o.tasks.sweep_deals", "schedule": 300.0},
    "o2o-expire-vouchers": {"task": "tradeloop.o2o.tasks.sweep_expired_vouchers", "schedule": 900.0},
    "o2o-complete-voucher-orders": {"task": "tradeloop.o2o.tasks.sweep_closed_voucher_orders", "schedule": 900.0},
    # o2o review invitations
    "o2o-review-invitations": {"task": "tradeloop.o2o.tasks.sweep_review_invitations", "schedule": 300.0},
    # reviews: sellers' reputation pages read a precomputed row
    "reviews-refresh-reputations": {"task": "tradeloop.reviews.tasks.refresh_reputations", "schedule": 1800.0},
    "pay-out-sellers": {"task": "tradeloop.payments.tasks.pay_out_sellers", "schedule": crontab(hour=3, minute=0)},
    # analytics: buffered page views into the visit counts; the daily sales rollups the dashboard reads
    "analytics-flush-visits": {"task": "tradeloop.analytics.tasks.flush_visits", "schedule": 60.0},
    "analytics-sweep-rollups": {"task": "tradeloop.analytics.tasks.sweep_rollups", "schedule": 600.0},
}
