"""sponsored's part of the REST API: a seller's campaigns (`seller/campaigns`), their figures and the promotion
wallet. Search results carry the sponsored items themselves (`sponsored` in `GET /search`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import require
from tradeloop.core import clock
from tradeloop.core.api_schemas import Amount, AmountIn, Currency, Id, InputSchema, MoneyOut, PageOut, PageQuery, Text
from tradeloop.core.api_schemas import errors as error_answers
from tradeloop.core.pagination import keyset_page
from tradeloop.sponsored import selectors, services
from tradeloop.sponsored.models import Campaign

router = Router(tags=["Sponsored placement"])
seller_router = Router(auth=SIGNED_IN, tags=["Sponsored placement"])
READ_ERRORS = error_answers(400, 401, 403, 404, 422)
WRITE_ERRORS = error_answers(400, 401, 403, 404, 409, 422)


class ItemRef(Schema):
    source: Literal["product", "place"] = Field(
        ..., description="product (any kind: goods, listing, deal, service) or place"
    )
    id: Id


class KeywordIn(InputSchema):
    text: Text = Field(..., max_length=60, description="English or Chinese; matched like search (stems, segments)")
    bid: AmountIn | None = Field(None, description="Its own bid per click; null: the campaign's bid")


class KeywordOut(MoneyOut):
    id: int
    text: str
    bid: Amount | None


class CampaignIn(InputSchema):
    organization: Id = Field(..., description="The selling organization")
    name: Text = Field(..., max_length=120)
    daily_budget: AmountIn = Field(..., description="At most this is charged per day (site time, Asia/Shanghai)")
    default_bid: AmountIn = Field(..., description="Charged per click (keywords may bid their own)")
    currency: Currency = "CNY"
    items: list[ItemRef] = Field(default_factory=list, max_length=50, description="Your own products or places")
    keywords: list[KeywordIn] = Field(default_factory=list, max_length=50)
    categories: list[Id] = Field(default_factory=list, max_length=50, description="Category ids (and subcategories)")
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    activate: bool = Field(False, description="true: start it now (needs an item and a keyword or category)")


class CampaignPatch(InputSchema):
    name: Text | None = Field(None, max_length=120)
    daily_budget: AmountIn | None = None
    default_bid: AmountIn | None = None
    items: list[ItemRef] | None = Field(None, max_length=50)
    keywords: list[KeywordIn] | None = Field(None, max_length=50)
    categories: list[Id] | None = Field(None, max_length=50)
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class StateIn(InputSchema):
    state: Literal["active", "paused", "ended"]


class CampaignOut(MoneyOut):
    id: int
    organization: int
    name: str
    state: str = Field(..., description="draft, active, paused or ended")
    running: bool = Field(..., description="Active and within its dates now")
    daily_budget: Amount
    default_bid: Amount
    spent_today: Amount
    starts_at: datetime
    ends_at: datetime | None
    items: list[ItemRef]
    keywords: list[KeywordOut]
    categories: list[int]


class CampaignSummaryOut(MoneyOut):
    id: int
    name: str
    state: str
    daily_budget: Amount
    default_bid: Amount
    spent_today: Amount


class CampaignQuery(PageQuery):
    organization: Id = Field(..., description="The selling organization")


class FiguresOut(MoneyOut):
    impressions: int
    clicks: int = Field(..., description="Every click, charged or not")
    charged: int = Field(..., description="Clicks charged (one per visitor, item and 24 hours)")
    spend: Amount
    orders: int = Field(..., description="Paid orders of visitors who clicked within 7 days")
    revenue: Amount
    return_on_spend: str | None = Field(..., description="revenue ÷ spend (null before any spend)")


class KeywordFiguresOut(FiguresOut):
    keyword: str = Field(..., description="Empty: clicks from category pages")


class DayFiguresOut(FiguresOut):
    day: date


class StatsOut(Schema):
    total: FiguresOut
    keywords: list[KeywordFiguresOut]
    days: list[DayFiguresOut] = Field(..., description="The last 30 days, oldest first")


class WalletOut(MoneyOut):
    organization: int
    balance: Amount


class TopUpIn(InputSchema):
    organization: Id
    amount: AmountIn = Field(..., description="Moved from your available balance into the promotion wallet")
    currency: Currency = "CNY"


def _out(campaign: Campaign) -> dict:
    now = clock.now()
    return {
        "id": campaign.pk,
        "organization": campaign.organization_id,
        "name": campaign.name,
        "state": campaign.state,
        "running": services.is_running(campaign, now),
        "currency": campaign.currency,
        "daily_budget": campaign.daily_budget,
        "default_bid": campaign.default_bid,
        "spent_today": selectors.spent_today([campaign.pk], now).get(campaign.pk) or 0,
        "starts_at": campaign.starts_at,
        "ends_at": campaign.ends_at,
        "items": [{"source": i.source, "id": i.object_id} for i in selectors.live_items(campaign)],
        "keywords": [
            {"id": k.pk, "text": k.text, "bid": k.bid, "currency": campaign.currency} for k in campaign.keywords.all()
        ],
        "categories": [c.pk for c in campaign.categories.all()],
    }


def _figures(t: selectors.Totals, currency: str) -> dict:
    return {
        "currency": currency,
        "impressions": t.impressions,
        "clicks": t.clicks,
        "charged": t.charged,
        "spend": t.spend,
        "orders": t.orders,
        "revenue": t.revenue,
        "return_on_spend": str(t.roas) if t.roas is not None else None,
    }


def _parts(sent: dict) -> dict:
    if "items" in sent and sent["items"] is not None:
        sent["items"] = [(i["source"], i["id"]) for i in sent["items"]]
    if "keywords" in sent and sent["keywords"] is not None:
        sent["keywords"] = [(k["text"], k["bid"]) for k in sent["keywords"]]
    if "categories" in sent:
        sent["category_ids"] = sent.pop("categories")
    return sent


@seller_router.get("campaigns", response={200: PageOut[CampaignSummaryOut], **READ_ERRORS})
def campaigns(request: HttpRequest, query: Query[CampaignQuery]):
    """The organization's campaigns, newest first."""
    qs = selectors.campaigns_of(request.auth, query.organization)
    page = keyset_page(qs, order=("-id",), cursor=query.cursor, limit=query.limit)
    today = selectors.spent_today([c.pk for c in page.items], clock.now())
    items = [
        {
            "id": c.pk,
            "name": c.name,
            "state": c.state,
            "currency": c.currency,
            "daily_budget": c.daily_budget,
            "default_bid": c.default_bid,
            "spent_today": today.get(c.pk) or 0,
        }
        for c in page.items
    ]
    return {"items": items, "next_cursor": page.next_cursor}


@seller_router.post("campaigns", response={201: CampaignOut, **WRITE_ERRORS})
def create_campaign(request: HttpRequest, payload: CampaignIn):
    """Create a campaign (a draft, or running at once with `activate`)."""
    sent = _parts(payload.dict())
    organization = sent.pop("organization")
    campaign = services.create_campaign(actor=request.auth, organization_id=organization, **sent)
    return Status(201, _out(selectors.campaign_for(request.auth, campaign.pk)))


@seller_router.get("campaigns/{campaign_id}", response={200: CampaignOut, **READ_ERRORS})
def campaign(request: HttpRequest, campaign_id: Id):
    return _out(selectors.campaign_for(request.auth, campaign_id))


@seller_router.patch("campaigns/{campaign_id}", response={200: CampaignOut, **WRITE_ERRORS})
def update_campaign(request: HttpRequest, campaign_id: Id, payload: CampaignPatch):
    """Change a campaign: send only the fields to change (`items`, `keywords`, `categories` replace the lists)."""
    selectors.campaign_for(request.auth, campaign_id)
    sent = _parts({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "ends_at"})
    services.update_campaign(actor=request.auth, campaign_id=campaign_id, **sent)
    return _out(selectors.campaign_for(request.auth, campaign_id))


@seller_router.post("campaigns/{campaign_id}/state", response={200: CampaignOut, **WRITE_ERRORS})
def campaign_state(request: HttpRequest, campaign_id: Id, payload: StateIn):
    """Start, pause, resume or end a campaign (draft → active ⇄ paused → ended)."""
    selectors.campaign_for(request.auth, campaign_id)
    services.set_state(actor=request.auth, campaign_id=campaign_id, state=payload.state)
    return _out(selectors.campaign_for(request.auth, campaign_id))


@seller_router.get("campaigns/{campaign_id}/stats", response={200: StatsOut, **READ_ERRORS})
def campaign_stats(request: HttpRequest, campaign_id: Id):
    """Impressions, clicks, charged clicks, spend, orders and return on spend: in all, per keyword, per day."""
    found = selectors.campaign_for(request.auth, campaign_id)
    stats = selectors.stats(found, days=30, now=clock.now())
    currency = found.currency
    return {
        "total": _figures(stats.total, currency),
        "keywords": [{"keyword": text, **_figures(t, currency)} for text, t in stats.keywords],
        "days": [{"day": day, **_figures(t, currency)} for day, t in stats.days],
    }


@seller_router.get("promotion-wallet", response={200: WalletOut, **READ_ERRORS})
def wallet(request: HttpRequest, organization: Id, currency: Currency = "CNY"):
    """The promotion wallet's balance (clicks are paid from it)."""
    require(request.auth, organization, services.MANAGE)
    money = selectors.wallet(organization, currency)
    return {"organization": organization, "balance": money.amount, "currency": money.currency}


@seller_router.post("promotion-wallet/top-up", response={200: WalletOut, **WRITE_ERRORS})
def top_up(request: HttpRequest, payload: TopUpIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Move money from the available balance into the promotion wallet (needs finance.manage; 409 when the
    available balance is short). With an `Idempotency-Key`, a retry moves nothing more."""
    services.top_up(
        actor=request.auth,
        organization_id=payload.organization,
        amount=payload.amount,
        currency=payload.currency,
        key=idempotency_key,
    )
    money = selectors.wallet(payload.organization, payload.currency)
    return {"organization": payload.organization, "balance": money.amount, "currency": money.currency}
