"""The built-in roles and the capabilities they grant. Seeded after every migrate; operators may add more."""

from django.utils.translation import pgettext_lazy

CAPABILITIES = {
    "org.manage": "Edit the organization's profile",
    "team.manage": "Invite staff and change their roles",
    "catalog.manage": "Create, edit, publish products and stock",
    "orders.view": "See orders",
    "orders.fulfil": "Ship orders, redeem vouchers, run bookings",
    "finance.view": "See balances, payouts and invoices",
    "finance.manage": "Request payouts, set payment terms",
    "support.reply": "Answer buyers' questions and after-sales conversations",
    "analytics.view": "See analytics and customers",
    "purchasing": "Buy, request quotes and accept them for the organization",
    "purchasing.approve": "Approve or reject orders held over a purchaser's spending limit",
}

BUILTIN_ROLES = [
    ("owner", "Owner", ["*"]),
    ("admin", "Admin", [c for c in CAPABILITIES]),
    ("catalog", "Catalog", ["catalog.manage", "analytics.view"]),
    ("fulfilment", "Fulfilment", ["orders.view", "orders.fulfil"]),
    ("finance", "Finance", ["orders.view", "finance.view", "finance.manage"]),
    ("support", "Support", ["orders.view", "support.reply"]),
    ("buyer", "Buyer", ["purchasing", "orders.view"]),
    # company buyers (b2b): a purchaser orders within a spending limit, an approver decides on what is over it
    ("purchaser", "Purchaser", ["purchasing", "orders.view"]),
    ("approver", "Approver", ["purchasing", "purchasing.approve", "orders.view"]),
]

# What people read: the built-in roles in the reader's language (custom roles show their stored name).
ROLE_LABELS = {
    "owner": pgettext_lazy("role", "Owner"),
    "admin": pgettext_lazy("role", "Admin"),
    "catalog": pgettext_lazy("role", "Catalog"),
    "fulfilment": pgettext_lazy("role", "Fulfilment"),
    "finance": pgettext_lazy("role", "Finance"),
    "support": pgettext_lazy("role", "Support"),
    "buyer": pgettext_lazy("role", "Buyer"),
    "purchaser": pgettext_lazy("role", "Purchaser"),
    "approver": pgettext_lazy("role", "Approver"),
}
