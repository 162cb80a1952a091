"""Quick order: "SKU, quantity" lines pasted or uploaded, each resolved to a variant with this buyer's price, or a
clear error for that line; then every valid line goes into the cart at once.

    parse_text(text)      the lines of a paste or an upload (comma, tab or semicolon; a header line and blank lines
                          are skipped); a line that cannot be read is kept with its error
    resolve(actor, rows)  each row's variant, unit price (pricing: list, tier or contract price) and availability,
                          or its error: unknown_sku, ambiguous_sku, not_for_sale, out_of_stock, bad_quantity,
                          below_minimum, not_a_multiple. A fixed number of queries for any number of lines.

Adding to the cart is `checkout.cart.add_items` (all lines in one transaction, all or nothing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.functions import Upper
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.catalog.models import Product, Variant
from tradeloop.checkout import cart as carts
from tradeloop.checkout.cart import MAX_QUANTITY
from tradeloop.checkout.errors import Code
from tradeloop.core import clock
from tradeloop.core.errors import Code as CoreCode
from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import Money
from tradeloop.pricing import selectors as prices

MAX_LINES = 200
MAX_TEXT = 40_000  # characters of a paste
MAX_UPLOAD_BYTES = 256 * 1024
MAX_SKU = 64
_SPLIT = re.compile(r"\s*[\t;,]\s*")
_HEADER_WORDS = {"sku", "item", "code", "product", "article", "货号", "编码", "商品编码", "sku编码", "型号"}


@dataclass
class Row:
    """One line as the buyer wrote it: its line number in the text, the SKU and the quantity (None: unreadable)."""

    number: int
    sku: str
    quantity: int | None
    error: str = ""  # a code of checkout.errors.Code, when the line cannot be read at all
    message: str = ""


@dataclass
class Resolved:
    """A row after resolution: its variant and price, or why it cannot be ordered."""

    row: Row
    variant: Variant | None = None
    price: prices.UnitPrice | None = None
    error: str = ""
    message: str = ""
    numbers: list[int] = field(default_factory=list)  # the text's line numbers combined into this one
    stores: list = field(default_factory=list)  # an ambiguous SKU: the stores that sell it, to choose from

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def sku(self) -> str:
        return self.variant.sku if self.variant else self.row.sku

    @property
    def quantity(self) -> int | None:
        return self.row.quantity

    @property
    def unit_price(self) -> Money | None:
        return self.price.unit if self.price else None

    @property
    def line_total(self) -> Money | None:
        return self.price.subtotal if self.price else None

    @property
    def available(self) -> int:
        return max(self.variant.stock, 0) if self.variant else 0


@dataclass
class Resolution:
    lines: list[Resolved]

    @property
    def valid(self) -> list[Resolved]:
        return [line for line in self.lines if line.ok]

    @property
    def invalid(self) -> list[Resolved]:
        return [line for line in self.lines if not line.ok]

    @property
    def currencies(self) -> list[str]:
        return sorted({line.price.unit.currency for line in self.valid})

    @property
    def total(self) -> Money | None:
        """The valid lines' total before promotions, when they are in one currency."""
        if len(self.currencies) != 1:
            return None
        return sum((line.line_total for line in self.valid), Money(Decimal(0), self.currencies[0]))


# ---------- reading the text ----------


def decode_upload(data: bytes) -> str:
    """An uploaded file's text: UTF-8 (with or without a BOM), else GB 18030 (a spreadsheet saved on a Chinese
    system). Refused when too large or binary."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            gettext("The file is too large: at most %(kb)s KB.") % {"kb": MAX_UPLOAD_BYTES // 1024},
            field="file",
            code=CoreCode.TOO_LARGE,
        )
    if b"\x00" in data:
        raise ValidationFailed(gettext("Upload a CSV or text file."), field="file", code=Code.BAD_FILE)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(gettext("Upload a CSV or text file."), field="file", code=Code.BAD_FILE)


def _quantity(cell: str) -> int | None:
    cell = cell.strip().replace("\u00a0", "").replace(" ", "")
    if cell.endswith(".0"):  # a spreadsheet's 50.0
        cell = cell[:-2]
    return int(cell) if cell.isascii() and cell.isdigit() else None


def _is_header(cells: list[str]) -> bool:
    first = cells[0].strip().lower().lstrip("#")
    return first in _HEADER_WORDS or "sku" in first


def parse_text(text: str) -> list[Row]:
    """The "SKU, quantity" lines of a paste or file. Blank lines are ignored; a first line that names its columns
    (SKU, quantity) is skipped. More than MAX_LINES lines, or a text over MAX_TEXT characters, is refused."""
    text = text or ""
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            gettext("Paste at most %(n)s characters.") % {"n": MAX_TEXT}, field="text", code=Code.TOO_MANY_LINES
        )
    rows: list[Row] = []
    seen_content = False
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip().strip("\ufeff")
        if not line:
            continue
        cells = [c.strip().strip('"').strip() for c in _SPLIT.split(line)]
        cells = [c for c in cells if c != ""] or [""]
        first_line, seen_content = not seen_content, True
        if first_line and _is_header(cells) and (len(cells) < 2 or _quantity(cells[1]) is None):
            continue
        rows.append(_row(number, cells))
        if len(rows) > MAX_LINES:
            raise ValidationFailed(
                gettext("At most %(n)s lines at once.") % {"n": MAX_LINES}, field="text", code=Code.TOO_MANY_LINES
            )
    return rows


def _row(number: int, cells: list[str]) -> Row:
    sku = cells[0][:MAX_SKU] if cells else ""
    if len(cells) < 2:
        return Row(number, sku, None, Code.BAD_LINE, gettext("Write the SKU and the quantity, e.g. AD-24, 50."))
    if len(cells) > 2:
        return Row(number, sku, None, Code.BAD_LINE, gettext("Write one SKU and one quantity on each line."))
    quantity = _quantity(cells[1])
    if quantity is None:
        return Row(number, sku, None, Code.BAD_QUANTITY, gettext("The quantity must be a whole number."))
    return Row(number, sku, quantity)


def rows_of(items: Sequence[tuple[str, int]]) -> list[Row]:
    """(sku, quantity) pairs given as data (the API's lines, a requisition list) as rows, numbered from 1."""
    if len(items) > MAX_LINES:
        raise ValidationFailed(
            gettext("At most %(n)s lines at once.") % {"n": MAX_LINES}, field="lines", code=Code.TOO_MANY_LINES
        )
    return [Row(i, str(sku).strip()[:MAX_SKU], quantity) for i, (sku, quantity) in enumerate(items, start=1)]


# ---------- resolving ----------


def _candidates(skus: set[str], seller_id: int | None) -> dict[str, list[Variant]]:
    """Variants of published products of active sellers by upper-cased SKU (one query). A draft's SKU stays
    unknown: quick order does not tell what a store has not published."""
    if not skus:
        return {}
    qs = (
        Variant.objects.annotate(sku_upper=Upper("sku"))
        .filter(sku_upper__in=skus, product__status=Product.Status.PUBLISHED, product__seller__is_active=True)
        .select_related("product__seller", "product__category")
        .order_by("-is_active", "id")
    )
    if seller_id:
        qs = qs.filter(product__seller_id=seller_id)
    found: dict[str, list[Variant]] = {}
    for variant in qs[: 4 * MAX_LINES]:
        found.setdefault(variant.sku_upper, []).append(variant)
    return found


def _combined(rows: list[Row]) -> list[tuple[Row, list[int]]]:
    """The same SKU written twice is one line with the quantities added up (at the place it first appears)."""
    out: list[tuple[Row, list[int]]] = []
    by_sku: dict[str, tuple[Row, list[int]]] = {}
    for row in rows:
        key = row.sku.upper()
        if row.error or not key or key not in by_sku:
            entry = (Row(row.number, row.sku, row.quantity, row.error, row.message), [row.number])
            out.append(entry)
            if not row.error and key:
                by_sku[key] = entry
            continue
        kept, numbers = by_sku[key]
        kept.quantity += row.quantity
        numbers.append(row.number)
    return out


def _choose(variants: list[Variant]) -> tuple[Variant | None, str]:
    """One variant for a SKU, or the reason there is none: several stores (ambiguous) or nothing buyable."""
    buyable = [v for v in variants if v.is_active and v.product.kind == Product.Kind.PHYSICAL]
    sellers = {v.product.seller_id for v in (buyable or variants)}
    if len(sellers) > 1:
        return None, Code.AMBIGUOUS_SKU
    if not buyable:
        return variants[0], Code.NOT_FOR_SALE
    return buyable[0], ""


def _check_rules(lines: list[Resolved]) -> None:
    """Pricing's minimum order and multiple for every line (one query for all of them)."""
    problems = carts.order_rule_problems([(line.variant, line.quantity) for line in lines])
    for index, error in problems.items():
        lines[index].error, lines[index].message = error.code, error.message


def _problem(line: Resolved) -> None:
    quantity = line.quantity
    if not 1 <= quantity <= MAX_QUANTITY:
        line.error = Code.BAD_QUANTITY
        line.message = gettext("Choose a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY}
    elif line.variant.stock <= 0:
        line.error, line.message = Code.OUT_OF_STOCK, gettext("Out of stock.")
    elif quantity > line.variant.stock:
        line.error = Code.OUT_OF_STOCK
        line.message = gettext("Only %(n)s left.") % {"n": line.variant.stock}


def _line_for(row: Row, numbers: list[int], variants: list[Variant] | None) -> Resolved:
    line = Resolved(row, numbers=numbers)
    if row.error:
        line.error, line.message = row.error, row.message
    elif not row.sku:
        line.error, line.message = Code.BAD_LINE, gettext("The SKU is missing.")
    elif not variants:
        line.error = Code.UNKNOWN_SKU
        line.message = gettext("No product with the SKU %(sku)s is for sale.") % {"sku": row.sku}
    else:
        line.variant, line.error = _choose(variants)
        if line.error == Code.AMBIGUOUS_SKU:
            line.stores = sorted({v.product.seller for v in variants}, key=lambda seller: seller.name)
            line.variant = None
            line.message = gettext("Several stores sell %(sku)s: choose the store first.") % {"sku": row.sku}
        elif line.error == Code.NOT_FOR_SALE:
            line.message = gettext("%(title)s is not for sale.") % {"title": line.variant.product.display_title}
        else:
            _problem(line)
    return line


def _priced(lines: list[Resolved], actor: User | None, now) -> Resolution:
    """Pricing's unit price for every line that has a variant and a quantity (one call for all of them), then
    pricing's minimum and multiple for the lines still valid."""
    priced = [line for line in lines if line.variant is not None and line.error not in _UNPRICED]
    asks = [prices.Ask(line.variant, line.quantity) for line in priced]
    for line, price in zip(priced, prices.unit_prices(actor=actor, asks=asks, now=now or clock.now()), strict=True):
        line.price = price
    _check_rules([line for line in priced if line.ok])
    return Resolution(lines)


_UNPRICED = (Code.NOT_FOR_SALE, Code.BAD_QUANTITY)


def resolve(*, actor: User | None, rows: list[Row], seller_id: int | None = None, now=None) -> Resolution:
    """Every row resolved by its SKU: variant, this actor's unit price (pricing's sources, before promotions) and
    stock, or the error of that line. One query for the variants, then pricing's queries for all lines at once."""
    combined = _combined(rows)
    candidates = _candidates({row.sku.upper() for row, _ in combined if not row.error and row.sku}, seller_id)
    lines = [_line_for(row, numbers, candidates.get(row.sku.upper())) for row, numbers in combined]
    return _priced(lines, actor, now)


def resolve_variants(*, actor: User | None, rows: list[Row], variant_ids: list[int], now=None) -> Resolution:
    """Rows whose variant is known already (a requisition list's lines, in the same order): resolved like `resolve`,
    without looking the SKU up again. One query for the variants, then pricing's."""
    variants = Variant.objects.filter(pk__in=variant_ids).select_related("product__seller", "product__category")
    by_id = {v.pk: v for v in variants}
    lines = []
    for row, variant_id in zip(rows, variant_ids, strict=True):
        variant = by_id.get(variant_id)
        visible = (
            variant is not None
            and variant.product.status == Product.Status.PUBLISHED
            and variant.product.seller.is_active
        )
        lines.append(_line_for(row, [row.number], [variant] if visible else []))
        if variant is not None and not visible:
            lines[-1].error, lines[-1].variant = Code.NOT_FOR_SALE, None
            lines[-1].message = gettext("%(sku)s is no longer for sale.") % {"sku": row.sku}
    return _priced(lines, actor, now)


def resolve_text(*, actor: User | None, text: str, seller_id: int | None = None) -> Resolution:
    return resolve(actor=actor, rows=parse_text(text), seller_id=seller_id)
