"""Reads of sponsored placement: which sponsored items a search or a category page shows, and the console's lists,
wallet and statistics.

Choosing slots (the same for search and category pages):
    eligible   the campaign is active, within its dates, has today's budget left for one click at its bid, and the
               seller's promotion wallet holds one click
    matching   search: one of the campaign's keywords is in the query (all the keyword's terms) AND the item's own
               text holds every term of the query (search.engine.matching); a category page: one of the campaign's
               categories is the page's category or an ancestor of it, and the item is in the page's category
    ranking    bid × relevance × quality, quality = rating (with a prior of 4★ from 5 ratings) × conversion (orders
               per charged click, with a prior of 1 in 20)
    share      at most `slot_count(organic)` items: one per PER organic results on the page (rounded up), never more
               than MAX_SLOTS, none on an empty page; an item shows once even when several campaigns promote it
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q, Sum

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category
from tradeloop.core.errors import NotFound
from tradeloop.core.money import Money
from tradeloop.ledger.models import Account
from tradeloop.ledger.selectors import stored, with_balances
from tradeloop.search import engine, ranking
from tradeloop.search.models import SearchDocument
from tradeloop.search.normalise import terms as normalised_terms
from tradeloop.sponsored.models import Campaign, CampaignItem, DaySpend, DayStat, Keyword
from tradeloop.sponsored.services import MANAGE, bid_for, click_token, site_day

PER = 10  # one sponsored slot per this many organic results on the page (rounded up)
MAX_SLOTS = 2  # and never more than this on one page
RATING_PRIOR, RATING_WEIGHT = 4.0, 5
CONVERSION_PRIOR, CONVERSION_WEIGHT = 1, 20


def slot_count(organic: int) -> int:
    """How many sponsored items a page with `organic` results may show."""
    if organic <= 0:
        return 0
    return min(MAX_SLOTS, math.ceil(organic / PER))


@dataclass
class Slot:
    campaign_id: int
    item_id: int
    keyword_id: int
    bid: Decimal
    score: float
    doc: SearchDocument
    token: str = ""

    @property
    def title(self) -> str:
        from tradeloop.catalog.models import in_language

        return in_language(self.doc.title, self.doc.title_zh)


def _running(now: datetime) -> Q:
    return Q(campaign__state=Campaign.State.ACTIVE, campaign__starts_at__lte=now) & (
        Q(campaign__ends_at__isnull=True) | Q(campaign__ends_at__gt=now)
    )


def _fundable(campaigns: dict[int, Campaign], bids: dict[int, Decimal], now: datetime) -> set[int]:
    """The campaigns with today's budget and the wallet each holding one click at its (lowest) bid: 2 queries."""
    if not campaigns:
        return set()
    spent = dict(
        DaySpend.objects.filter(campaign_id__in=list(campaigns), day=site_day(now)).values_list("campaign_id", "spent")
    )
    codes = {f"promo:{c.organization_id}:wallet:{c.currency}" for c in campaigns.values()}
    wallets = {a.code: stored(a.balance_amount) for a in with_balances(Account.objects.filter(code__in=codes))}
    ok = set()
    for pk, campaign in campaigns.items():
        bid = bids[pk]
        left = campaign.daily_budget - (spent.get(pk) or Decimal(0))
        money = wallets.get(f"promo:{campaign.organization_id}:wallet:{campaign.currency}", Decimal(0))
        if left >= bid and money >= bid:
            ok.add(pk)
    return ok


def _quality(campaign_ids, docs) -> dict[int, float]:
    """Conversion per campaign (orders per charged click, with a prior): 1 query."""
    rows = (
        DayStat.objects.filter(campaign_id__in=list(campaign_ids))
        .values("campaign_id")
        .annotate(charged=Sum("charged"), orders=Sum("orders"))
    )
    found = {}
    for row in rows:
        found[row["campaign_id"]] = (row["orders"] + CONVERSION_PRIOR) / (row["charged"] + CONVERSION_WEIGHT)
    return found


def _rating(doc: SearchDocument) -> float:
    count = doc.rating_count or 0
    return (float(doc.rating or 0) * count + RATING_PRIOR * RATING_WEIGHT) / (count + RATING_WEIGHT) / 5


def _pick(candidates: list[Slot], limit: int) -> list[Slot]:
    chosen: list[Slot] = []
    seen: set[int] = set()
    for slot in sorted(candidates, key=lambda s: (-s.score, s.item_id)):
        if slot.doc.pk in seen:
            continue
        seen.add(slot.doc.pk)
        slot.token = click_token(item_id=slot.item_id, keyword_id=slot.keyword_id)
        chosen.append(slot)
        if len(chosen) >= limit:
            break
    return chosen


def _docs_of(items: list[CampaignItem]) -> dict[tuple[str, int], SearchDocument]:
    if not items:
        return {}
    rows = SearchDocument.objects.filter(
        object_id__in={i.object_id for i in items}, source__in={i.source for i in items}
    )
    return {(d.source, d.object_id): d for d in rows}


def for_search(q: str, *, organic: int, now: datetime) -> list[Slot]:
    """The sponsored items of a search page (see the module docstring). About 7 queries, none without a keyword."""
    limit = slot_count(organic)
    wanted = set(normalised_terms(q or "")[: engine.MAX_TERMS])
    if not limit or not wanted:
        return []
    keywords = [
        k
        for k in Keyword.objects.filter(_running(now), lead__in=wanted).select_related("campaign")
        if set(k.terms.split()) <= wanted
    ]
    if not keywords:
        return []
    best: dict[int, Keyword] = {}  # per campaign, the matching keyword with the highest bid
    campaigns: dict[int, Campaign] = {}
    for k in keywords:
        campaigns[k.campaign_id] = k.campaign
        if k.campaign_id not in best or bid_for(k.campaign, k) > bid_for(k.campaign, best[k.campaign_id]):
            best[k.campaign_id] = k
    bids = {pk: bid_for(campaigns[pk], best[pk]) for pk in campaigns}
    fundable = _fundable(campaigns, bids, now)
    if not fundable:
        return []
    items = list(CampaignItem.objects.filter(campaign_id__in=fundable, removed=False))
    docs = _docs_of(items)
    matched = engine.matching([d.pk for d in docs.values()], q)
    conversion = _quality(fundable, docs)
    candidates = []
    for item in items:
        doc = docs.get((item.source, item.object_id))
        campaign = campaigns[item.campaign_id]
        if doc is None or doc.pk not in matched or doc.seller_id != campaign.organization_id:
            continue
        relevance = ranking.relevance(doc, sorted(wanted))
        quality = _rating(doc) * conversion.get(campaign.pk, CONVERSION_PRIOR / CONVERSION_WEIGHT) * CONVERSION_WEIGHT
        bid = bids[campaign.pk]
        score = float(bid) * max(relevance, 0.01) * quality
        candidates.append(Slot(campaign.pk, item.pk, best[campaign.pk].pk, bid, score, doc))
    return _pick(candidates, limit)


CATEGORY_PATHS_KEY = "sponsored:category-paths"


def promoted_category_paths() -> frozenset[str]:
    """The paths of the categories that active campaigns chose. Cached (and forgotten when a campaign or its categories
    change, see receivers), so a category page that no campaign chose asks the database nothing."""
    paths = cache.get(CATEGORY_PATHS_KEY)
    if paths is None:
        chosen = Campaign.categories.through.objects.filter(campaign__state=Campaign.State.ACTIVE)
        paths = frozenset(chosen.values_list("category__path", flat=True))
        cache.set(CATEGORY_PATHS_KEY, paths, 3600)
    return paths


def for_category(category: Category, *, organic: int, now: datetime) -> list[Slot]:
    """The sponsored items of a category page: campaigns of this category or an ancestor, items in its subtree."""
    limit = slot_count(organic)
    if not limit:
        return []
    ancestors = [p for p in _prefixes(category.path)]
    if promoted_category_paths().isdisjoint(ancestors):
        return []
    chosen = Campaign.categories.through.objects.filter(_running(now), category__path__in=ancestors)
    campaigns = {row.campaign_id: row.campaign for row in chosen.select_related("campaign")}
    bids = {pk: c.default_bid for pk, c in campaigns.items()}
    fundable = _fundable(campaigns, bids, now)
    if not fundable:
        return []
    items = list(CampaignItem.objects.filter(campaign_id__in=fundable, removed=False))
    docs = _docs_of(items)
    conversion = _quality(fundable, docs)
    candidates = []
    for item in items:
        doc = docs.get((item.source, item.object_id))
        campaign = campaigns[item.campaign_id]
        if doc is None or not doc.category_path.startswith(category.path) or doc.seller_id != campaign.organization_id:
            continue
        quality = _rating(doc) * conversion.get(campaign.pk, CONVERSION_PRIOR / CONVERSION_WEIGHT) * CONVERSION_WEIGHT
        candidates.append(Slot(campaign.pk, item.pk, 0, bids[campaign.pk], float(bids[campaign.pk]) * quality, doc))
    return _pick(candidates, limit)


def _prefixes(path: str) -> list[str]:
    """ "a/b/c/" → ["a/", "a/b/", "a/b/c/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# --- the console ----------------------------------------------------------------------------------------------


def campaigns_of(actor: User, organization_id: int):
    require(actor, organization_id, MANAGE)
    return Campaign.objects.filter(organization_id=organization_id).order_by("-id")


def campaign_for(actor: User, campaign_id: int) -> Campaign:
    campaign = (
        Campaign.objects.select_related("organization")
        .prefetch_related("categories", "keywords")
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None:
        raise NotFound("campaign not found", field="campaign")
    require(actor, campaign.organization_id, MANAGE)
    return campaign


def live_items(campaign: Campaign) -> list[CampaignItem]:
    return list(campaign.items.filter(removed=False))


def wallet(org_id: int, currency: str = "CNY") -> Money:
    account = with_balances(Account.objects.filter(code=f"promo:{org_id}:wallet:{currency}")).first()
    return Money(stored(account.balance_amount) if account else Decimal(0), currency)


@dataclass
class Totals:
    impressions: int = 0
    clicks: int = 0
    charged: int = 0
    spend: Decimal = Decimal(0)
    orders: int = 0
    revenue: Decimal = Decimal(0)

    def add(self, row: DayStat) -> None:
        self.impressions += row.impressions
        self.clicks += row.clicks
        self.charged += row.charged
        self.spend += stored(row.spend)
        self.orders += row.orders
        self.revenue += stored(row.revenue)

    @property
    def roas(self) -> Decimal | None:
        """Return on ad spend: revenue per unit spent (None before anything is spent)."""
        return (self.revenue / self.spend).quantize(Decimal("0.01")) if self.spend else None

    @property
    def ctr(self) -> Decimal | None:
        return (Decimal(self.clicks * 100) / self.impressions).quantize(Decimal("0.1")) if self.impressions else None


def totals_by_campaign(campaign_ids) -> dict[int, Totals]:
    """All-time totals of many campaigns in one query (the list pages)."""
    found: dict[int, Totals] = {}
    for row in DayStat.objects.filter(campaign_id__in=list(campaign_ids)):
        found.setdefault(row.campaign_id, Totals()).add(row)
    return found


def spent_today(campaign_ids, now: datetime) -> dict[int, Decimal]:
    return dict(
        DaySpend.objects.filter(campaign_id__in=list(campaign_ids), day=site_day(now)).values_list(
            "campaign_id", "spent"
        )
    )


@dataclass
class Stats:
    total: Totals
    keywords: list[tuple[str, Totals]]
    days: list[tuple[date, Totals]]


def stats(campaign: Campaign, *, days: int = 30, now: datetime) -> Stats:
    """Totals, per keyword (and "category pages"), and per day over the last `days` site days: 2 queries."""
    today = site_day(now)
    first = today - timedelta(days=days - 1)
    rows = list(DayStat.objects.filter(campaign=campaign))
    names = {k.pk: k.text for k in campaign.keywords.all()}
    total = Totals()
    per_keyword: dict[int, Totals] = {}
    per_day = {first + timedelta(days=i): Totals() for i in range(days)}
    for row in rows:
        total.add(row)
        per_keyword.setdefault(row.keyword_id, Totals()).add(row)
        if row.day in per_day:
            per_day[row.day].add(row)
    keywords = []
    for pk, text in names.items():
        keywords.append((text, per_keyword.pop(pk, Totals())))
    if 0 in per_keyword:
        keywords.append(("", per_keyword.pop(0)))
    for pk, t in per_keyword.items():  # keywords removed since
        keywords.append((f"#{pk}", t))
    return Stats(total=total, keywords=keywords, days=sorted(per_day.items()))
