"""Reads of the ledger. Balances are always derived from entries (one aggregate query), never stored."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.core.errors import NotAuthenticated, NotFound
from tradeloop.core.money import Money
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.ledger.models import Account, Entry, Transaction

AMOUNT = DecimalField(max_digits=18, decimal_places=4)
# SQLite sums decimals as floating point: a sum is exact only once rounded back to the 4 places amounts are stored
# with, and "zero" in SQL means "within half a stored unit of zero". PostgreSQL sums exactly; the same code holds.
STORED_UNIT = Decimal("0.0001")
HALF_UNIT = STORED_UNIT / 2


def stored(value) -> Decimal:
    """A database sum as the exact decimal it stands for."""
    return Decimal(str(value or 0)).quantize(STORED_UNIT)


def balance(account: Account) -> Money:
    """The account's balance, sign-adjusted so what is owed to a seller (or earned by the platform) is positive."""
    raw = Entry.objects.filter(account=account).aggregate(total=Coalesce(Sum("amount"), Value(0), output_field=AMOUNT))
    return Money(stored(raw["total"]) * account.sign, account.currency)


def with_balances(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Annotates `balance_amount` (sign-adjusted, like `balance`) in the same query as the accounts."""
    raw = Coalesce(Sum("entries__amount"), Value(0), output_field=AMOUNT)
    sign = Case(
        When(kind__in=Account.CREDIT_NORMAL, then=Value(Decimal(-1))), default=Value(Decimal(1)), output_field=AMOUNT
    )
    return accounts.annotate(balance_amount=raw * sign)


def ledger_is_balanced() -> bool:
    """Every transaction sums to zero per currency, and every entry is in its account's currency."""
    off_balance = (
        Entry.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount"))
        .filter(Q(total__gt=HALF_UNIT) | Q(total__lt=-HALF_UNIT))
        .exists()
    )
    wrong_currency = Entry.objects.exclude(currency=F("account__currency")).exists()
    return not off_balance and not wrong_currency


def seller_balances(org: Organization) -> dict[str, dict[str, Money]]:
    """{currency: {"pending": Money, "available": Money}} for one seller, in one query."""
    found: dict[str, dict[str, Money]] = {}
    own = Account.objects.filter(owner=org, code__startswith="seller:")  # not its receivable, if it also buys
    for account in with_balances(own).order_by("currency", "code"):
        part = account.code.rsplit(":", 2)[-2]  # seller:<id>:<part>:<currency>
        found.setdefault(account.currency, {})[part] = Money(stored(account.balance_amount), account.currency)
    for currency, parts in found.items():
        parts.setdefault("pending", Money(0, currency))
        parts.setdefault("available", Money(0, currency))
    return found


def seller_balances_for(actor: User, org: Organization) -> dict[str, dict[str, Money]]:
    require(actor, org, "finance.view")
    return seller_balances(org)


# --- what a user may see -----------------------------------------------------------------------------------------


def visible_accounts(actor: User) -> QuerySet[Account]:
    """Operators (staff) see every account; a seller's member with finance.view sees that seller's accounts."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("sign in first")
    accounts = Account.objects.select_related("owner")
    if actor.is_staff:
        return accounts
    org_ids = [
        m.organization_id
        for m in actor.memberships.filter(organization__is_active=True).select_related("role")
        if m.role.grants("finance.view")
    ]
    return accounts.filter(owner_id__in=org_ids)


def accounts_page(*, actor: User, owner_id: int | None = None, cursor: str | None, limit: int) -> Page:
    accounts = visible_accounts(actor)
    if owner_id is not None:
        accounts = accounts.filter(owner_id=owner_id)
    return keyset_page(with_balances(accounts), order=("code",), cursor=cursor, limit=limit)


def account_for(actor: User, account_id: int) -> Account:
    account = with_balances(visible_accounts(actor)).filter(pk=account_id).first()
    if account is None:
        raise NotFound("ledger account not found")
    return account


def entries_page(*, actor: User, account_id: int, cursor: str | None, limit: int) -> tuple[Account, Page]:
    account = account_for(actor, account_id)
    entries = Entry.objects.filter(account=account).select_related("transaction")
    return account, keyset_page(entries, order=("-id",), cursor=cursor, limit=limit)


def transactions(*, ref_prefix: str = "") -> QuerySet[Transaction]:
    found = Transaction.objects.prefetch_related("entries__account")
    return found.filter(ref__startswith=ref_prefix) if ref_prefix else found
