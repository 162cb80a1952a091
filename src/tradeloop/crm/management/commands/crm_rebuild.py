"""`tradeloop crm_rebuild [--seller ID]`: recompute the customer summaries from the orders (existing data)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tradeloop.accounts.models import Organization
from tradeloop.crm import services


class Command(BaseCommand):
    help = "Recompute every customer summary (orders, lifetime value, first and last order, city) from the orders."

    def add_arguments(self, parser):
        parser.add_argument("--seller", type=int, help="only this seller organization's customers")

    def handle(self, *args, seller: int | None = None, **options):
        org = None
        if seller is not None:
            org = Organization.objects.filter(pk=seller).first()
            if org is None:
                raise CommandError(f"no organization {seller}")
        count = services.rebuild(seller=org)
        self.stdout.write(f"{count} customer summaries recomputed")
