"""The built-in roles and the capabilities they grant. Seeded as data by a migration; operators may add more."""

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
}

BUILTIN_ROLES = [
    ("owner", "Owner", ["*"]),
    ("admin", "Admin", [c for c in CAPABILITIES]),
    ("catalog", "Catalog", ["catalog.manage", "analytics.view"]),
    ("fulfilment", "Fulfilment", ["orders.view", "orders.fulfil"]),
    ("finance", "Finance", ["orders.view", "finance.view", "finance.manage"]),
    ("support", "Support", ["orders.view", "support.reply"]),
    ("buyer", "Buyer", ["purchasing", "orders.view"]),
]
