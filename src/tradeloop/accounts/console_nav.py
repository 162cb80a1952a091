"""The console's left navigation as data. A section appears when the member's role grants its capability.

A new mode adds its entry here once its pages exist (customers and analytics are still to come; a mode's desk names the
organization kinds that use it): label, URL name (reversed with the organization id) and capability. The console
promises only what works, so nothing is listed before it is built.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Membership


@dataclass(frozen=True)
class Section:
    label: str | Promise
    url_name: str
    capability: str | None  # None: every member sees it
    badge: str | None = None  # dotted path of f(membership) -> int, a count shown beside the label (0: none)
    kinds: tuple[str, ...] | None = None  # Organization kinds that use it (a mode's desk); None: every kind


# Who sells goods that travel; a local business serves at its places instead (no shipping methods, no RFQs).
SHIPS_GOODS = ("merchant", "supplier", "personal")

SECTIONS: tuple[Section, ...] = (
    Section(_("Dashboard"), "console:dashboard", None),
    Section(_("Catalog"), "console:products", "catalog.manage"),
    Section(_("Stock"), "inventory:console_stock", "catalog.manage"),
    Section(_("Purchases"), "checkout:console_purchases", "catalog.manage"),
    Section(_("Promotions"), "promotions:list", "catalog.manage"),
    Section(_("Price lists"), "pricing:console_price_lists", "catalog.manage"),
    Section(
        _("Messages"),
        "conversations:console_inbox",
        "support.reply",
        badge="tradeloop.conversations.selectors.seller_unread_badge",
    ),
    Section(_("Quotes"), "b2b:console_rfqs", "orders.view", kinds=("merchant", "supplier")),
    Section(_("Orders"), "orders:console_orders", "orders.view"),
    Section(_("Returns"), "aftersales:console_returns", "orders.view"),
    # crm: everyone who bought from the organization, tags and notes, segments and campaigns sent to them
    Section(_("Customers"), "crm:console_customers", "analytics.view"),
    # o2o consumer requests (nearby open requests, the business's answers)
    Section(_("Requests"), "o2o:console_requests", "orders.view", kinds=("local_business",)),
    # o2o places (a local business's shops, salons and offices)
    Section(_("Places"), "o2o:console_places", "catalog.manage", kinds=("local_business",)),
    # o2o bookings
    Section(_("Bookings"), "o2o:console_bookings", "orders.fulfil", kinds=("local_business",)),
    Section(_("Services & staff"), "o2o:console_services", "catalog.manage", kinds=("local_business",)),
    # o2o deals and redemption (deals sold as vouchers; staff redeem them at the counter)
    Section(_("Deals"), "o2o:console_deals", "catalog.manage", kinds=("local_business",)),
    Section(_("Redeem"), "o2o:console_redeem", "orders.fulfil", kinds=("local_business",)),
    # reviews of a local business's places: unanswered ones counted beside the label
    Section(
        _("Reviews"),
        "reviews:console_reviews",
        "orders.view",
        badge="tradeloop.reviews.selectors.unanswered_badge",
        kinds=("local_business", "merchant", "supplier"),
    ),
    # the value ring: buyers' public suggestions and private order feedback; what buyers look for and cannot find
    Section(_("Suggestions"), "feedback:console_suggestions", "orders.view"),
    Section(_("Buyer demand"), "feedback:console_demand", "catalog.manage"),
    Section(_("Shipping"), "fulfilment:console_shipping_methods", "orders.fulfil", kinds=SHIPS_GOODS),
    Section(_("Invoices"), "invoicing:console_invoices", "finance.view"),
    Section(_("Payouts"), "payments:console_payouts", "finance.view"),
    Section(_("Analytics"), "analytics:console_dashboard", "orders.view"),
    # sponsored placement: campaigns paid per click from the promotion wallet
    Section(_("Campaigns"), "sponsored:console_campaigns", "catalog.manage"),
    Section(_("Store design"), "store_design:edit", "org.manage"),
    # b2b: a supplier's company profile for company buyers on its store page
    Section(_("Showcase"), "b2b:console_showcase", "org.manage", kinds=("supplier",)),
    Section(_("Webhooks"), "notifications:console_webhooks", "org.manage"),
    Section(_("Team"), "console:team", "team.manage"),
    Section(_("Store settings"), "console:settings", "org.manage"),
    # trust: the seller's verification (legal data, documents, the operator's decision); payouts wait until verified
    Section(
        _("Verification"), "trust:console", "org.manage", kinds=("merchant", "supplier", "local_business", "personal")
    ),
)


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    active: bool
    badge: int = 0


def _allowed(section: Section, membership: Membership) -> bool:
    if section.kinds is not None and membership.organization.kind not in section.kinds:
        return False
    return section.capability is None or membership.role.grants(section.capability)


def navigation(membership: Membership, *, current_url_name: str) -> list[NavLink]:
    org_id = membership.organization_id
    return [
        NavLink(
            section.label,
            reverse(section.url_name, args=[org_id]),
            section.url_name == current_url_name,
            import_string(section.badge)(membership) if section.badge else 0,
        )
        for section in SECTIONS
        if _allowed(section, membership)
    ]


def console_home_url() -> str:
    """The seller console's home, or "" while the console app has no routes."""
    try:
        return reverse("console:home")
    except NoReverseMatch:
        return ""
