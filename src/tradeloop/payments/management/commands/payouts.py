"""`tradeloop payouts [--seller SLUG] [--dry-run]`: pay sellers' available balances through the payout provider.

The same service the daily Celery beat job runs; safe to run at any time, and twice (a second run finds nothing).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tradeloop.accounts.models import Organization
from tradeloop.core import clock
from tradeloop.core.money import format_money
from tradeloop.payments import services


class Command(BaseCommand):
    help = "Pay out sellers' available balances (all sellers, or one with --seller)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seller", metavar="SLUG", help="only this selling organization")
        parser.add_argument("--dry-run", action="store_true", help="show what would be paid, pay nothing")

    def handle(self, *args, seller: str | None = None, dry_run: bool = False, **options) -> None:
        org = self._seller(seller) if seller else None
        if dry_run:
            due = services.payable_accounts(org)
            for account in due:
                self.stdout.write(f"{account.owner.slug}: {format_money(account.balance_amount, account.currency)}")
            self.stdout.write(f"{len(due)} payout(s) would be made (dry run, nothing paid).")
            return
        payouts = services.run_payouts(now=clock.now(), seller=org)
        for payout in payouts:
            money = format_money(payout.amount, payout.currency)
            self.stdout.write(f"{payout.seller.slug}: {money} {payout.state} (payout {payout.pk})")
        self.stdout.write(f"{len(payouts)} payout(s) made.")

    def _seller(self, slug: str) -> Organization:
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"no organization with the slug {slug!r}")
        return org
