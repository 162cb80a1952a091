"""Demo: a running sponsored campaign. Qinhuai Hair Studio moved part of its settled voucher money into its
promotion wallet and promotes its two deals for "hair", "cut", 美发 and 染发 (and on their category pages); the
last week's impressions and clicks (some repeated, so not charged) fill the campaign page and its charts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Product
from tradeloop.core import clock
from tradeloop.ledger.selectors import seller_balances
from tradeloop.search import indexing
from tradeloop.search.models import SearchDocument
from tradeloop.sponsored import services
from tradeloop.sponsored.models import Campaign

NAME = "Spring hair week · 春季美发周"
KEYWORDS = [("hair", None), ("cut", None), ("美发", None), ("染发", "1.20")]
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger"
# per day of the last week (oldest first): impressions and visitors who clicked (one of them twice)
TRAFFIC = [(18, 2), (25, 3), (21, 2), (30, 4), (27, 3), (35, 5), (12, 2)]


def _owner(org: Organization) -> User:
    return org.memberships.select_related("user").get(role__code="owner").user


def load(*, salon: Organization) -> Campaign | None:
    if Campaign.objects.filter(organization=salon).exists():
        return None  # loaded before
    owner = _owner(salon)
    available = seller_balances(salon).get(salon.currency, {}).get("available")
    amount = min(Decimal(50), available.amount if available else Decimal(0)).quantize(Decimal("0.01"))
    if amount < 10:
        return None  # nothing settled to pay for clicks with
    services.top_up(actor=owner, organization_id=salon.pk, amount=amount, currency=salon.currency, key="demo")
    deal_ids = list(Product.objects.filter(seller=salon, kind=Product.Kind.DEAL).values_list("pk", flat=True))
    indexing.index("product", deal_ids)  # the index is otherwise filled after the demo's transaction commits
    deals = list(SearchDocument.objects.filter(seller_id=salon.pk, kind="deal").order_by("id"))
    offset = clock.now() - timezone.now()
    start = clock.now() - timedelta(days=len(TRAFFIC))
    campaign = services.create_campaign(
        actor=owner,
        organization_id=salon.pk,
        name=NAME,
        daily_budget="20",
        default_bid="0.80",
        currency=salon.currency,
        items=[(d.source, d.object_id) for d in deals],
        keywords=KEYWORDS,
        category_ids=sorted({d.category_id for d in deals if d.category_id}),
        starts_at=start,
        activate=True,
    )
    keywords = list(campaign.keywords.all())
    items = list(campaign.items.all())
    try:
        for back, (impressions, visitors) in zip(range(len(TRAFFIC), 0, -1), TRAFFIC, strict=True):
            clock.travel(timezone.now() + offset - timedelta(days=back - 1, hours=3))
            for n in range(impressions):
                services.count_impressions([(campaign.pk, keywords[n % len(keywords)].pk)], clock.now())
            for n in range(visitors):
                token = services.click_token(item_id=items[n % len(items)].pk, keyword_id=keywords[n % 3].pk)
                address = f"203.0.113.{back * 10 + n}"
                for _ in range(2 if n == 0 else 1):  # the first visitor of the day clicks twice: charged once
                    services.record_click(token=token, user=None, address=address, user_agent=BROWSER)
    finally:
        clock.travel(timezone.now() + offset)
    return campaign
