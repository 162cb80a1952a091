"""Sponsored placement on the web: the click redirect, the category page's slot (a page-cache hole), and the seller console
(campaigns, their statistics and the promotion wallet). Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.accounts.forms import attach_domain_error
from tradeloop.analytics import charts
from tradeloop.catalog.models import Category
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.core.pagination import keyset_page
from tradeloop.sponsored import selectors, services
from tradeloop.sponsored.forms import CampaignForm, TopUpForm, keywords_text
from tradeloop.sponsored.models import Campaign

MAX_ORGANIC = 100


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@never_cache
def click(request: HttpRequest, token: str) -> HttpResponse:
    """A shopper picked a sponsored item: count (and maybe charge) the click, then go to the item."""
    try:
        _click, target = services.record_click(
            token=token, user=request.user, address=_address(request), user_agent=request.headers.get("User-Agent", "")
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


def category_slot(request: HttpRequest, arg: str) -> str:
    """The sponsored items of a category page, rendered into the page for each request (a page-cache hole: a cached
    page never holds them, and every view counts its impressions). `arg` is "<category path>:<organic count>"; the
    path, not the slug, so that a category no campaign chose costs no query."""
    path, _sep, raw = arg.rpartition(":")
    organic = min(int(raw), MAX_ORGANIC) if raw.isdigit() else 0
    now = clock.now()
    slots = selectors.for_category(Category(path=path), organic=organic, now=now)
    if not slots:
        return ""
    services.count_impressions([(s.campaign_id, s.keyword_id) for s in slots], now)
    return render_to_string("sponsored/_category_slot_items.html", {"slots": slots}, request=request)


# --- the seller console ----------------------------------------------------------------------------------------------

SECTION = "sponsored:console_campaigns"
PER_PAGE = 25
NEXT_ORDER = (Campaign.State.ACTIVE, Campaign.State.PAUSED, Campaign.State.ENDED)
STATE_BADGES = {"draft": "badge-muted", "active": "badge-success", "paused": "badge-warning", "ended": "badge-muted"}


@console_page(services.MANAGE, section=SECTION)
def console_campaigns(request: HttpRequest, console: Console) -> HttpResponse:
    org = console.organization
    qs = selectors.campaigns_of(request.user, org.pk)
    try:
        page = keyset_page(qs, order=("-id",), cursor=request.GET.get("cursor") or None, limit=PER_PAGE)
    except ValidationFailed:
        page = keyset_page(qs, order=("-id",), cursor=None, limit=PER_PAGE)
    ids = [c.pk for c in page.items]
    totals = selectors.totals_by_campaign(ids)
    today = selectors.spent_today(ids, clock.now())
    rows = [
        (c, totals.get(c.pk) or selectors.Totals(), today.get(c.pk) or 0, STATE_BADGES[c.state]) for c in page.items
    ]
    context = {
        "page": page,
        "rows": rows,
        "wallet": selectors.wallet(org.pk, org.currency),
        "top_up": TopUpForm(),
        "may_fund": console.role.grants(services.FUND),
    }
    return console.render(request, "sponsored/console_campaigns.html", context)


def _form_page(request: HttpRequest, console: Console, campaign: Campaign | None) -> HttpResponse:
    org = console.organization
    status = 200
    if request.method == "POST":
        form = CampaignForm(request.POST, org_id=org.pk, editing=campaign is not None)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "name": data["name"],
                "daily_budget": data["daily_budget"],
                "default_bid": data["default_bid"],
                "items": data["items"],
                "keywords": data["keywords"],
                "category_ids": [c.pk for c in data["categories"]],
                "starts_at": data["starts_at"],
                "ends_at": data["ends_at"],
            }
            try:
                if campaign is None:
                    saved = services.create_campaign(
                        actor=request.user, organization_id=org.pk, activate=data["activate"], **fields
                    )
                else:
                    saved = services.update_campaign(actor=request.user, campaign_id=campaign.pk, **fields)
            except DomainError as error:
                attach_domain_error(form, error)
            else:
                messages.success(request, gettext("Campaign “%(name)s” is saved.") % {"name": saved.name})
                return redirect("sponsored:console_campaign", org.pk, saved.pk)
        status = 400
    elif campaign is not None:
        form = CampaignForm(
            org_id=org.pk,
            editing=True,
            initial={
                "name": campaign.name,
                "daily_budget": campaign.daily_budget.normalize(),
                "default_bid": campaign.default_bid.normalize(),
                "items": [f"{i.source}:{i.object_id}" for i in selectors.live_items(campaign)],
                "keywords": keywords_text(campaign),
                "categories": list(campaign.categories.all()),
                "starts_at": campaign.starts_at,
                "ends_at": campaign.ends_at,
            },
        )
    else:
        form = CampaignForm(org_id=org.pk, initial={"daily_budget": 50, "default_bid": "0.50"})
    context = {"form": form, "campaign": campaign}
    return console.render(request, "sponsored/console_form.html", context, status=status)


@console_page(services.MANAGE, section=SECTION)
def console_campaign_create(request: HttpRequest, console: Console) -> HttpResponse:
    return _form_page(request, console, None)


def _campaign(request: HttpRequest, console: Console, campaign_id: int) -> Campaign:
    campaign = selectors.campaign_for(request.user, campaign_id)
    if campaign.organization_id != console.organization.pk:
        raise Http404("campaign not found")  # another organization's, even one the member also belongs to
    return campaign


@console_page(services.MANAGE, section=SECTION)
def console_campaign_edit(request: HttpRequest, console: Console, campaign_id: int) -> HttpResponse:
    return _form_page(request, console, _campaign(request, console, campaign_id))


@console_page(services.MANAGE, section=SECTION)
def console_campaign(request: HttpRequest, console: Console, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, console, campaign_id)
    now = clock.now()
    found = selectors.stats(campaign, days=30, now=now)
    labels = [d.strftime("%m-%d") for d, _t in found.days]
    context = {
        "campaign": campaign,
        "badge": STATE_BADGES[campaign.state],
        "stats": found,
        "items": selectors.live_items(campaign),
        "spent_today": selectors.spent_today([campaign.pk], now).get(campaign.pk) or 0,
        "running": services.is_running(campaign, now),
        "wallet": selectors.wallet(campaign.organization_id, campaign.currency),
        "clicks_chart": charts.column_chart(labels, [t.clicks for _d, t in found.days]),
        "spend_chart": charts.line_chart(labels, [t.spend for _d, t in found.days]),
        "next_states": [s for s in NEXT_ORDER if s in Campaign.ALLOWED.get(campaign.state, ())],
    }
    return console.render(request, "sponsored/console_campaign.html", context)


@require_POST
@console_page(services.MANAGE, section=SECTION)
def console_campaign_state(request: HttpRequest, console: Console, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, console, campaign_id)
    try:
        services.set_state(actor=request.user, campaign_id=campaign.pk, state=request.POST.get("state", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("The campaign is updated."))
    return redirect("sponsored:console_campaign", console.organization.pk, campaign.pk)


@require_POST
@console_page(services.FUND, section=SECTION)
def console_top_up(request: HttpRequest, console: Console) -> HttpResponse:
    form = TopUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Enter an amount from 0.01 to 1,000,000."))
    else:
        try:
            services.top_up(
                actor=request.user,
                organization_id=console.organization.pk,
                amount=form.cleaned_data["amount"],
                currency=console.organization.currency,
                key=request.POST.get("key") or None,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Your promotion wallet is topped up."))
    return redirect("sponsored:console_campaigns", console.organization.pk)
