"""Every write of sponsored placement: campaigns, the promotion wallet, clicks and their charges, refunds of invalid
clicks, impressions and attributed orders.

Money (one rule): clicks are paid from the seller's prepaid promotion wallet (`promo:<org>:wallet:<cur>`), which a
member with finance.manage tops up from the seller's available balance. A charge is one ledger transaction,
Dr wallet / Cr platform ad revenue (`platform:ads:<cur>`); a refund of an invalid click is its reverse.

A click is charged at most once per (campaign item, visitor, window): the click row's `charge_key` is UNIQUE, so two
concurrent clicks cannot both hold it. The day's budget is a guarded UPDATE on the campaign's DaySpend row
(`spent + bid <= budget`), the wallet is locked and re-read before it is spent. A click that fails any of these is
recorded, with its reason, and not charged.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import Money, check_currency, parse_amount, quantize
from tradeloop.ledger import selectors as ledger_selectors
from tradeloop.ledger import services as ledger
from tradeloop.search.models import SearchDocument
from tradeloop.search.normalise import terms as normalised_terms
from tradeloop.sponsored.errors import Code
from tradeloop.sponsored.models import Attribution, Campaign, CampaignItem, Click, DaySpend, DayStat, Keyword

MANAGE = "catalog.manage"
FUND = "finance.manage"
WINDOW = timedelta(hours=24)  # one charge per item and visitor in this window
ATTRIBUTION = timedelta(days=7)
MAX_CLICKS_PER_MINUTE = 10  # a visitor clicking more slots than this in a minute is bot-like: not charged
MAX_ITEMS = 50
MAX_KEYWORDS = 50
MAX_AMOUNT = Decimal("1000000")
TOKEN_SALT = "sponsored.click"
TOKEN_AGE = 7 * 24 * 3600
# known crawlers and scripts (HeadlessChrome, a real browser engine, is not one)
ROBOTS = re.compile(r"bot\b|bot/|spider|crawl|slurp|curl|wget|python-requests|python-urllib|httpx|go-http|scrapy|java/",
                    re.IGNORECASE)  # fmt: skip


def site_day(at: datetime) -> date:
    """The site's calendar day (settings.TIME_ZONE, Asia/Shanghai by default): budgets start over at its midnight."""
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def is_running(campaign: Campaign, now: datetime) -> bool:
    return (
        campaign.state == Campaign.State.ACTIVE
        and campaign.starts_at <= now
        and (campaign.ends_at is None or campaign.ends_at > now)
    )


# --- campaigns -----------------------------------------------------------------------------------------------------


def _money(value, field: str) -> Decimal:
    amount = parse_amount(value, field=field)
    if amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationFailed(gettext("must be more than 0 and at most 1,000,000"), field=field)
    if amount != quantize(amount, "CNY"):
        raise ValidationFailed(gettext("at most 2 decimals"), field=field)
    return amount


def keyword_terms(text: str) -> str:
    """A keyword's normalised terms (search's normaliser: English stems, Chinese segments), sorted and unique."""
    return " ".join(sorted(set(normalised_terms(text))))


def _clean_keywords(keywords) -> list[tuple[str, str, Decimal | None]]:
    found: dict[str, tuple[str, str, Decimal | None]] = {}
    for entry in keywords or []:
        text, bid = tuple(entry)[:2] if isinstance(entry, tuple | list) else (entry, None)
        text = str(text or "").strip()
        if not text:
            continue
        if len(text) > 60:
            raise ValidationFailed(gettext("a keyword is at most 60 characters"), field="keywords")
        terms = keyword_terms(text)
        if not terms:
            raise ValidationFailed(gettext("a keyword needs a word or a Chinese character"), field="keywords")
        if len(terms) > 200:
            raise ValidationFailed(gettext("a keyword is at most 60 characters"), field="keywords")
        found.setdefault(terms, (text, terms, _money(bid, "keywords") if bid not in (None, "") else None))
    if len(found) > MAX_KEYWORDS:
        raise ValidationFailed(gettext("at most 50 keywords"), field="keywords")
    return list(found.values())


def _clean_items(org, items) -> list[SearchDocument]:
    """The seller's own search documents, from (source, object id) pairs; anything else is refused."""
    pairs = []
    for entry in items or []:
        try:
            source, object_id = entry
            pairs.append((str(source), int(object_id)))
        except (TypeError, ValueError):
            raise ValidationFailed(gettext("an item is a source and an id"), field="items") from None
    pairs = list(dict.fromkeys(pairs))
    if len(pairs) > MAX_ITEMS:
        raise ValidationFailed(gettext("at most 50 items"), field="items")
    if not pairs:
        return []
    docs = {
        (d.source, d.object_id): d
        for d in SearchDocument.objects.filter(object_id__in=[p[1] for p in pairs], seller_id=org.pk).only(
            "id", "source", "object_id", "title", "title_zh"
        )
    }
    missing = [p for p in pairs if p not in docs]
    if missing:
        raise ValidationFailed(
            gettext("only your own products, listings, deals or places can be promoted"),
            field="items",
            code=Code.NOT_OWN_ITEM,
        )
    return [docs[p] for p in pairs]


def _clean_categories(category_ids) -> list[Category]:
    ids = list(dict.fromkeys(int(i) for i in category_ids or []))
    found = list(Category.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationFailed(gettext("no such category"), field="categories")
    return found


def _clean_dates(starts_at, ends_at):
    starts_at = starts_at or clock.now()
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationFailed(gettext("the end must be after the start"), field="ends_at")
    return starts_at, ends_at


def _check_bids(budget: Decimal, bid: Decimal, keywords) -> None:
    for _text, _terms, kw_bid in keywords:
        if kw_bid is not None and kw_bid > budget:
            raise ValidationFailed(
                gettext("a bid cannot be more than the daily budget"), field="keywords", code=Code.BID_ABOVE_BUDGET
            )
    if bid > budget:
        raise ValidationFailed(
            gettext("a bid cannot be more than the daily budget"), field="default_bid", code=Code.BID_ABOVE_BUDGET
        )


def _set_parts(campaign: Campaign, docs, keywords, cats) -> None:
    wanted = {(d.source, d.object_id): d for d in docs}
    have = {(i.source, i.object_id): i for i in campaign.items.all()}
    CampaignItem.objects.filter(pk__in=[i.pk for key, i in have.items() if key not in wanted]).update(removed=True)
    CampaignItem.objects.filter(pk__in=[i.pk for key, i in have.items() if key in wanted]).update(removed=False)
    CampaignItem.objects.bulk_create(
        CampaignItem(campaign=campaign, source=d.source, object_id=d.object_id, title=(d.title or d.title_zh)[:200])
        for key, d in wanted.items()
        if key not in have
    )
    _set_keywords(campaign, keywords, cats)


def _set_keywords(campaign: Campaign, keywords, cats) -> None:
    kept = {terms for _t, terms, _b in keywords}
    campaign.keywords.exclude(terms__in=kept).delete()  # keep the ids (and stats) of keywords that stay
    existing = {k.terms: k for k in campaign.keywords.all()}
    for text, terms, bid in keywords:
        if terms in existing:
            Keyword.objects.filter(pk=existing[terms].pk).update(text=text, bid=bid)
        else:
            Keyword.objects.create(campaign=campaign, text=text, terms=terms, lead=terms.split()[0][:40], bid=bid)
    campaign.categories.set(cats)


@transaction.atomic
def create_campaign(
    *,
    actor: User,
    organization_id: int,
    name: str,
    daily_budget,
    default_bid,
    items=(),
    keywords=(),
    category_ids=(),
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    currency: str = "CNY",
    activate: bool = False,
) -> Campaign:
    org = require(actor, organization_id, MANAGE).organization
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed(gettext("a name of 1 to 120 characters"), field="name")
    budget = _money(daily_budget, "daily_budget")
    bid = _money(default_bid, "default_bid")
    currency = check_currency(currency)
    docs = _clean_items(org, items)
    kws = _clean_keywords(keywords)
    cats = _clean_categories(category_ids)
    _check_bids(budget, bid, kws)
    starts_at, ends_at = _clean_dates(starts_at, ends_at)
    campaign = Campaign.objects.create(
        organization=org,
        name=name,
        daily_budget=budget,
        default_bid=bid,
        currency=currency,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _set_parts(campaign, docs, kws, cats)
    states.record(campaign, new=campaign.state, actor=actor, reason="created")
    if activate:
        _activate(campaign, actor)
    return campaign


def _own(actor: User, campaign_id: int, *, lock: bool = False) -> Campaign:
    qs = Campaign.objects.select_related("organization")
    if lock:
        qs = qs.select_for_update()
    campaign = qs.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(gettext("campaign not found"), field="campaign")
    require(actor, campaign.organization_id, MANAGE)  # another tenant's campaign: 404 from require
    return campaign


@transaction.atomic
def update_campaign(*, actor: User, campaign_id: int, **changes) -> Campaign:
    campaign = _own(actor, campaign_id, lock=True)
    if campaign.state == Campaign.State.ENDED:
        raise Conflict(gettext("an ended campaign cannot be changed"), field="state")
    if "name" in changes:
        name = (changes["name"] or "").strip()
        if not name or len(name) > 120:
            raise ValidationFailed(gettext("a name of 1 to 120 characters"), field="name")
        campaign.name = name
    if "daily_budget" in changes:
        campaign.daily_budget = _money(changes["daily_budget"], "daily_budget")
    if "default_bid" in changes:
        campaign.default_bid = _money(changes["default_bid"], "default_bid")
    docs = _clean_items(campaign.organization, changes["items"]) if "items" in changes else None
    kws = (
        _clean_keywords(changes["keywords"])
        if "keywords" in changes
        else [(k.text, k.terms, k.bid) for k in campaign.keywords.all()]
    )
    cats = _clean_categories(changes["category_ids"]) if "category_ids" in changes else list(campaign.categories.all())
    _check_bids(campaign.daily_budget, campaign.default_bid, kws)
    starts_at = changes.get("starts_at", campaign.starts_at)
    ends_at = changes.get("ends_at", campaign.ends_at)
    campaign.starts_at, campaign.ends_at = _clean_dates(starts_at, ends_at)
    campaign.save()
    if docs is not None:
        _set_parts(campaign, docs, kws, cats)
    else:
        _set_keywords(campaign, kws, cats)
    # today's budget follows the new budget (never below what is spent already)
    today = site_day(clock.now())
    DaySpend.objects.filter(campaign=campaign, day=today, spent__lte=campaign.daily_budget).update(
        budget=campaign.daily_budget
    )
    DaySpend.objects.filter(campaign=campaign, day=today, spent__gt=campaign.daily_budget).update(budget=F("spent"))
    return campaign


def _activate(campaign: Campaign, actor) -> None:
    if not campaign.items.filter(removed=False).exists():
        raise ValidationFailed(gettext("add at least one item first"), field="items", code=Code.CAMPAIGN_EMPTY)
    if not campaign.keywords.exists() and not campaign.categories.exists():
        raise ValidationFailed(gettext("add a keyword or a category first"), field="keywords", code=Code.CAMPAIGN_EMPTY)
    states.transition(campaign, Campaign.State.ACTIVE, actor=actor)


@transaction.atomic
def set_state(*, actor: User, campaign_id: int, state: str) -> Campaign:
    campaign = _own(actor, campaign_id, lock=True)
    if (
        state == Campaign.State.ACTIVE
        and campaign.state in Campaign.ALLOWED
        and state in Campaign.ALLOWED.get(campaign.state, ())
    ):
        _activate(campaign, actor)
    else:
        states.transition(campaign, state, actor=actor)
    return campaign


# --- the promotion wallet -------------------------------------------------------------------------------------


@transaction.atomic
def top_up(*, actor: User, organization_id: int, amount, currency: str = "CNY", key: str | None = None):
    """Moves money from the seller's available balance into its promotion wallet (idempotent per `key`)."""
    org = require(actor, organization_id, FUND).organization
    value = _money(amount, "amount")
    currency = check_currency(currency)
    ref = f"promo:{org.pk}:topup:{(key or uuid.uuid4().hex)[:60]}"
    if (done := ledger.transaction_for(ref)) is not None:
        return done
    available = ledger.seller_available(org, currency)
    wallet = ledger.promotion_wallet(org, currency)
    ledger.lock_accounts([available, wallet])
    if ledger_selectors.balance(available).amount < value:
        raise Conflict(
            gettext("your available balance is less than %(amount)s") % {"amount": value},
            field="amount",
            code=Code.WALLET_TOO_LOW,
        )
    money = Money(value, currency)
    return ledger.post(
        memo=f"promotion wallet top-up of {org.name}", ref=ref, legs=[(available, money), (wallet, -money)]
    )


# --- clicks --------------------------------------------------------------------------------------------------------


def click_token(*, item_id: int, keyword_id: int) -> str:
    return signing.dumps([item_id, keyword_id], salt=TOKEN_SALT, compress=False)


def read_token(token: str) -> tuple[int, int]:
    try:
        item_id, keyword_id = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_AGE)
        return int(item_id), int(keyword_id)
    except (signing.BadSignature, ValueError, TypeError):
        raise NotFound(gettext("this link is not valid (any more)"), field="token") from None


def visitor_of(*, user, address: str, user_agent: str) -> str:
    """Who clicked: the signed-in user, else a hash of the network address and browser (no cookie needed, so
    clearing cookies does not make a new visitor)."""
    if getattr(user, "is_authenticated", False):
        return f"u:{user.pk}"
    digest = hashlib.sha256(f"{address}|{user_agent}".encode()).hexdigest()[:40]
    return f"a:{digest}"


def is_bot(user_agent: str) -> bool:
    return not (user_agent or "").strip() or bool(ROBOTS.search(user_agent))


class _NotCharged(Exception):
    def __init__(self, outcome: str):
        self.outcome = outcome


def _day_row(campaign: Campaign, day: date) -> DaySpend:
    row, _ = DaySpend.objects.get_or_create(campaign=campaign, day=day, defaults={"budget": campaign.daily_budget})
    return row


def _bump(campaign_id: int, keyword_id: int, day: date, **amounts) -> None:
    """Adds to a DayStat row (created on first use)."""
    DayStat.objects.bulk_create(
        [DayStat(campaign_id=campaign_id, keyword_id=keyword_id, day=day)], ignore_conflicts=True
    )
    DayStat.objects.filter(campaign_id=campaign_id, keyword_id=keyword_id, day=day).update(
        **{name: F(name) + value for name, value in amounts.items()}
    )


def bid_for(campaign: Campaign, keyword: Keyword | None) -> Decimal:
    return keyword.bid if keyword is not None and keyword.bid is not None else campaign.default_bid


def _charge(click: Click, campaign: Campaign, bid: Decimal, now: datetime) -> None:
    """Inside a savepoint: the unique charge key, the day's budget, the wallet, the ledger. Raises to undo."""
    window = int(now.timestamp() // WINDOW.total_seconds())
    click.charge_key = f"{click.item_id}:{click.visitor}:{window}"
    click.outcome = Click.Outcome.CHARGED
    click.amount = bid
    click.save()  # IntegrityError: this visitor was charged for this item in this window
    row = _day_row(campaign, site_day(now))
    if not DaySpend.objects.filter(pk=row.pk, spent__lte=F("budget") - bid).update(spent=F("spent") + bid):
        raise _NotCharged(Click.Outcome.NO_BUDGET)
    wallet = ledger.promotion_wallet(campaign.organization, campaign.currency)
    ledger.lock_accounts([wallet])
    if ledger_selectors.balance(wallet).amount < bid:
        raise _NotCharged(Click.Outcome.NO_FUNDS)
    money = Money(bid, campaign.currency)
    ledger.post(
        memo=f"sponsored click {click.pk} ({campaign.name})",
        ref=f"sponsored:click:{click.pk}",
        legs=[(wallet, money), (ledger.platform_ad_revenue(campaign.currency), -money)],
    )


@transaction.atomic
def record_click(*, token: str, user, address: str, user_agent: str) -> tuple[Click, str]:
    """Records one click on a slot and charges it when it may be; returns the click and where it leads."""
    item_id, keyword_id = read_token(token)
    item = CampaignItem.objects.select_related("campaign__organization").filter(pk=item_id).first()
    if item is None:
        raise NotFound(gettext("this link is not valid (any more)"), field="token")
    campaign = item.campaign
    keyword = Keyword.objects.filter(pk=keyword_id, campaign=campaign).first() if keyword_id else None
    now = clock.now()
    visitor = visitor_of(user=user, address=address, user_agent=user_agent)
    target = (
        SearchDocument.objects.filter(source=item.source, object_id=item.object_id)
        .values_list("url", flat=True)
        .first()
        or "/"
    )
    click = Click(
        campaign=campaign,
        item=item,
        keyword_id=keyword.pk if keyword else 0,
        visitor=visitor,
        user=user if getattr(user, "is_authenticated", False) else None,
        at=now,
        currency=campaign.currency,
        user_agent=(user_agent or "")[:200],
    )
    outcome = None
    recent = Click.objects.filter(visitor=visitor, at__gte=now - timedelta(minutes=1))
    if is_bot(user_agent) or recent.count() >= MAX_CLICKS_PER_MINUTE:
        outcome = Click.Outcome.BOT
    elif not is_running(campaign, now):
        outcome = Click.Outcome.INACTIVE
    else:
        try:
            with transaction.atomic():
                _charge(click, campaign, bid_for(campaign, keyword), now)
        except IntegrityError:
            outcome = Click.Outcome.REPEAT
        except _NotCharged as exc:
            outcome = exc.outcome
    if outcome is not None:
        click.pk = None
        click.charge_key = None
        click.amount = Decimal(0)
        click.outcome = outcome
        click.save()
    charged = click.outcome == Click.Outcome.CHARGED
    _bump(
        campaign.pk,
        click.keyword_id,
        site_day(now),
        clicks=1,
        charged=1 if charged else 0,
        spend=click.amount if charged else Decimal(0),
    )
    return click, target


@transaction.atomic
def refund_click(*, click_id: int, actor=None, reason: str = "invalid click") -> Click:
    """The operator found a charged click invalid: its charge goes back to the wallet, the day's spend shrinks."""
    click = Click.objects.select_for_update().select_related("campaign__organization").filter(pk=click_id).first()
    if click is None:
        raise NotFound(gettext("click not found"), field="click")
    if click.outcome != Click.Outcome.CHARGED:
        raise Conflict(gettext("only a charged click can be refunded"), field="click", code=Code.CLICK_NOT_CHARGED)
    campaign = click.campaign
    money = Money(click.amount, click.currency)
    ledger.post(
        memo=f"refund of invalid sponsored click {click.pk} ({reason})"[:200],
        ref=f"sponsored:click:{click.pk}:refund",
        legs=[
            (ledger.platform_ad_revenue(click.currency), money),
            (ledger.promotion_wallet(campaign.organization, click.currency), -money),
        ],
    )
    day = site_day(click.at)
    DaySpend.objects.filter(campaign=campaign, day=day, spent__gte=click.amount).update(spent=F("spent") - click.amount)
    DayStat.objects.filter(campaign=campaign, keyword_id=click.keyword_id, day=day, charged__gt=0).update(
        charged=F("charged") - 1, spend=F("spend") - click.amount
    )
    old = click.outcome
    click.outcome = Click.Outcome.REFUNDED
    click.save(update_fields=["outcome"])
    states.record(click, old=old, new=click.outcome, actor=actor, reason=reason)
    return click


# --- impressions and orders ----------------------------------------------------------------------------------------


def count_impressions(shown: list[tuple[int, int]], now: datetime) -> None:
    """One impression for each (campaign id, keyword id) shown on a page: two statements whatever the count."""
    if not shown:
        return
    day = site_day(now)
    pairs = set(shown)
    DayStat.objects.bulk_create(
        [DayStat(campaign_id=c, keyword_id=k, day=day) for c, k in pairs], ignore_conflicts=True
    )
    match = Q()
    for c, k in pairs:
        match |= Q(campaign_id=c, keyword_id=k)
    DayStat.objects.filter(match, day=day).update(impressions=F("impressions") + 1)


@transaction.atomic
def attribute(order) -> Attribution | None:
    """A paid order whose buyer clicked one of the seller's sponsored items (one of the order's products) within 7
    days counts as an order of that click's campaign and keyword. Idempotent (one attribution per order)."""
    if Attribution.objects.filter(order=order).exists():
        return None
    now = clock.now()
    product_ids = list(order.lines.values_list("variant__product_id", flat=True))
    click = (
        Click.objects.filter(
            user_id=order.buyer_id,
            campaign__organization_id=order.seller_id,
            at__gte=now - ATTRIBUTION,
            item__source="product",
            item__object_id__in=product_ids,
            outcome__in=[Click.Outcome.CHARGED, Click.Outcome.REPEAT],
        )
        .order_by("-at", "-id")
        .first()
    )
    if click is None:
        return None
    try:
        with transaction.atomic():
            found = Attribution.objects.create(
                order=order, click=click, campaign_id=click.campaign_id, revenue=order.total, at=now
            )
    except IntegrityError:
        return None
    _bump(click.campaign_id, click.keyword_id, site_day(now), orders=1, revenue=Decimal(order.total))
    return found
