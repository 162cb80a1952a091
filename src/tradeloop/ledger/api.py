"""Ledger endpoints: accounts with balances derived from entries, and an account's entries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.core.api_schemas import Amount, Id, MoneyOut, PageOut, PageQuery, errors
from tradeloop.ledger import selectors
from tradeloop.ledger.models import Account, Entry

router = Router(auth=SIGNED_IN, tags=["money"])


class AccountOut(MoneyOut):
    id: int
    code: str = Field(..., examples=["seller:12:available:CNY"])
    name: str
    kind: str = Field(..., description="asset, liability, revenue or expense")
    organization_id: int | None = Field(None, description="The seller the account belongs to, if any")
    balance: Amount = Field(..., description="Derived from the entries; what is owed to a seller is positive")

    @staticmethod
    def resolve_organization_id(obj: Account) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_balance(obj: Account) -> Decimal:
        return obj.balance_amount


class EntryOut(MoneyOut):
    id: int
    transaction_ref: str
    memo: str
    at: datetime
    amount: Amount = Field(..., description="Signed: a debit is positive, a credit negative")

    @staticmethod
    def resolve_transaction_ref(obj: Entry) -> str:
        return obj.transaction.ref

    @staticmethod
    def resolve_memo(obj: Entry) -> str:
        return obj.transaction.memo

    @staticmethod
    def resolve_at(obj: Entry) -> datetime:
        return obj.transaction.at


class AccountQuery(PageQuery):
    organization: Id | None = Field(None, description="Only this organization's accounts")


class EntriesOut(PageOut[EntryOut]):
    account: AccountOut


@router.get(
    "ledger/accounts",
    response={200: PageOut[AccountOut], **errors(400, 401, 422)},
    summary="Ledger accounts with balances: a seller's members with finance.view see its accounts, operators all",
)
def accounts(request: HttpRequest, query: Query[AccountQuery]):
    return selectors.accounts_page(
        actor=request.auth, owner_id=query.organization, cursor=query.cursor, limit=query.limit
    )


@router.get(
    "ledger/accounts/{account_id}/entries",
    response={200: EntriesOut, **errors(400, 401, 404, 422)},
    summary="An account's entries, newest first",
)
def entries(request: HttpRequest, account_id: Id, page: Query[PageQuery]):
    account, found = selectors.entries_page(
        actor=request.auth, account_id=account_id, cursor=page.cursor, limit=page.limit
    )
    return {"account": account, "items": found.items, "next_cursor": found.next_cursor}
