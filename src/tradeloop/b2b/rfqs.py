"""RFQs: a purchaser asks one supplier, or the suppliers of a category, for a quote; every write of an RFQ.

A purchaser (a member of the buying organization whose role grants `purchasing`) sends an RFQ for SKUs or free-text
needs, with quantities, target prices, a required-by date, delivery terms and files. A direct RFQ goes to one
supplier's inbox; an open one to every seller with goods in its category. It takes quotes (`b2b.quotes`) until its
deadline (`sweep_rfq_deadlines`) or until `max_quotes` suppliers have answered (setting `TRADELOOP_RFQ_MAX_QUOTES`,
10), or until the buyer cancels it or accepts a quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.b2b.errors import Code
from tradeloop.b2b.models import Rfq, RfqAttachment, RfqLine
from tradeloop.catalog.models import Category, Variant
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import check_currency, parse_amount
from tradeloop.core.quantities import require_units

PURCHASING = "purchasing"
MAX_LINES = 50
MAX_UNITS = 2**31 - 1  # what a line's quantity column holds
MAX_FILES = 5
# Files buyers attach to an RFQ: drawings, specifications, spreadsheets, photos.
ALLOWED_FILE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAGIC = {  # what the first bytes of a file of that type are
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
}
State = Rfq.State


def max_quotes_default() -> int:
    return int(getattr(settings, "TRADELOOP_RFQ_MAX_QUOTES", 10))


def max_file_bytes() -> int:
    return int(getattr(settings, "TRADELOOP_RFQ_FILE_MAX_BYTES", 5 * 1024 * 1024))


@dataclass(frozen=True)
class RfqLineIn:
    """One need: a SKU (variant) or a free-text description, a quantity, and the unit price hoped for."""

    quantity: int
    variant: Variant | None = None
    description: str = ""
    target_price: Decimal | None = None


@dataclass
class RfqIn:
    title: str
    lines: list[RfqLineIn]
    deadline: datetime
    supplier: Organization | None = None  # a direct RFQ …
    category: Category | None = None  # … or open to the suppliers of a category
    currency: str = ""  # default: the supplier's, or the site's
    delivery_terms: str = ""
    required_by: date | None = None
    note: str = ""
    max_quotes: int | None = None  # default: the setting
    files: list[UploadedFile] = field(default_factory=list)


# --- checks -----------------------------------------------------------------------------------------------------


def check_units(quantity, *, field: str) -> int:
    """A whole number of units, at least one and at most what a line can hold."""
    require_units(quantity, field=field)
    if quantity > MAX_UNITS:
        raise ValidationFailed(gettext("Choose at most %(n)s units.") % {"n": f"{MAX_UNITS:,}"}, field=field)
    return quantity


def check_price(value, *, field: str) -> Decimal:
    """A price: a finite number, not negative, up to 14 digits and 4 decimal places."""
    amount = parse_amount(value, field=field)
    if amount < 0:
        raise ValidationFailed(gettext("A price cannot be negative."), field=field)
    return amount


def _text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(gettext("This field is required."), field=field)
    if len(value) > max_length:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": max_length}, field=field)
    return value


def _check_audience(data: RfqIn, buyer_org: Organization) -> None:
    if (data.supplier is None) == (data.category is None):
        raise ValidationFailed(
            gettext("Send the RFQ to one supplier, or open it to a category."), field="supplier", code=Code.RFQ_AUDIENCE
        )
    if data.supplier is not None:
        if not data.supplier.sells or not data.supplier.is_active:
            raise NotFound(gettext("supplier not found"), field="supplier")
        if data.supplier.pk == buyer_org.pk:
            raise ValidationFailed(gettext("You cannot ask your own organization for a quote."), field="supplier")


def _check_line(index: int, line: RfqLineIn, data: RfqIn) -> RfqLine:
    where = f"lines.{index}"
    check_units(line.quantity, field=f"{where}.quantity")
    if line.target_price is not None:
        check_price(line.target_price, field=f"{where}.target_price")
    description = _text(line.description, field=f"{where}.description", max_length=300)
    variant = line.variant
    if variant is not None:
        seller_id = variant.product.seller_id
        if data.supplier is not None and seller_id != data.supplier.pk:
            raise ValidationFailed(gettext("This SKU is not the supplier's."), field=f"{where}.variant")
        if data.supplier is None:
            # an open RFQ asks for the goods, not for one seller's SKU: the SKU becomes the description
            description = description or f"{variant.product.display_title} ({variant.sku})"
            variant = None
        else:
            description = description or f"{variant.product.display_title} · {variant.display_name}".strip(" ·")
    if not description:
        raise ValidationFailed(gettext("Describe the line or choose a SKU."), field=f"{where}.description")
    return RfqLine(
        variant=variant, description=description[:300], quantity=line.quantity, target_price=line.target_price
    )


def _checked_file(index: int, upload: UploadedFile) -> tuple[str, str]:
    where = f"files.{index}"
    name = get_valid_filename(upload.name or "file")[:150] or "file"
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_FILE_TYPES:
        raise ValidationFailed(
            gettext("Attach PDF, PNG, JPEG, CSV, TXT, XLSX or DOCX files."), field=where, code=Code.FILE_TYPE
        )
    if upload.size is None or upload.size > max_file_bytes():
        raise ValidationFailed(
            gettext("A file may be at most %(mb)s MB.") % {"mb": max_file_bytes() // (1024 * 1024)},
            field=where,
            code=Code.FILE_TOO_LARGE,
        )
    if extension in MAGIC:
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(MAGIC[extension]):
            raise ValidationFailed(gettext("This file is not what its name says."), field=where, code=Code.FILE_TYPE)
    return name, ALLOWED_FILE_TYPES[extension]


def _store_files(rfq: Rfq, files: list[UploadedFile], actor: User, now: datetime) -> None:
    if rfq.attachments.count() + len(files) > MAX_FILES:
        raise ValidationFailed(
            gettext("At most %(n)s files per RFQ.") % {"n": MAX_FILES}, field="files", code=Code.TOO_MANY_FILES
        )
    for index, upload in enumerate(files):
        name, content_type = _checked_file(index, upload)
        attachment = RfqAttachment(
            rfq=rfq, name=name, content_type=content_type, size=upload.size, uploaded_by=actor, created_at=now
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()


# --- use cases --------------------------------------------------------------------------------------------------


@transaction.atomic
def create_rfq(*, actor: User, buyer_org: Organization, data: RfqIn, now: datetime | None = None) -> Rfq:
    """Send an RFQ for `buyer_org` (the actor must hold `purchasing` there)."""
    now = now or clock.now()
    require(actor, buyer_org, PURCHASING)
    _check_audience(data, buyer_org)
    title = _text(data.title, field="title", max_length=200, required=True)
    if not data.lines:
        raise ValidationFailed(gettext("Ask for at least one line."), field="lines")
    if len(data.lines) > MAX_LINES:
        raise ValidationFailed(gettext("At most %(n)s lines.") % {"n": MAX_LINES}, field="lines")
    lines = [_check_line(index, line, data) for index, line in enumerate(data.lines)]
    if data.deadline <= now:
        raise ValidationFailed(gettext("The deadline must be in the future."), field="deadline")
    if data.deadline > now + timedelta(days=180):
        raise ValidationFailed(gettext("The deadline can be at most 180 days away."), field="deadline")
    if data.required_by is not None and data.required_by < now.date():
        raise ValidationFailed(gettext("The required-by date cannot be in the past."), field="required_by")
    max_quotes = max_quotes_default() if data.max_quotes is None else data.max_quotes
    if isinstance(max_quotes, bool) or not 1 <= max_quotes <= 100:
        raise ValidationFailed(gettext("Take between 1 and 100 quotes."), field="max_quotes")
    if data.supplier is not None and max_quotes != 1:
        max_quotes = 1  # one supplier answers once
    currency = data.currency or (data.supplier.currency if data.supplier else settings.TRADELOOP_DEFAULT_CURRENCY)
    variant_currencies = {line.variant.currency for line in lines if line.variant is not None}
    if variant_currencies - {currency}:
        raise ValidationFailed(gettext("These SKUs are priced in another currency."), field="currency")
    rfq = Rfq.objects.create(
        buyer=actor,
        buyer_org=buyer_org,
        supplier=data.supplier,
        category=data.category,
        title=title,
        currency=check_currency(currency),
        delivery_terms=_text(data.delivery_terms, field="delivery_terms", max_length=300),
        required_by=data.required_by,
        deadline=data.deadline,
        max_quotes=max_quotes,
        note=_text(data.note, field="note", max_length=2000),
        created_at=now,
    )
    for position, line in enumerate(lines, start=1):
        line.rfq, line.position = rfq, position
    RfqLine.objects.bulk_create(lines)
    _store_files(rfq, data.files, actor, now)
    states.record(rfq, new=rfq.state, actor=actor, reason="sent")
    return rfq


def _buyer_rfq_locked(actor: User, rfq_id: int) -> Rfq:
    rfq = Rfq.objects.select_for_update().filter(pk=rfq_id).first()
    if rfq is None:
        raise NotFound(gettext("RFQ not found"), field="rfq")
    if rfq.buyer_id != actor.pk:
        try:
            require(actor, rfq.buyer_org, PURCHASING)
        except NotFound as exc:
            raise NotFound(gettext("RFQ not found"), field="rfq") from exc
    return rfq


@transaction.atomic
def add_files(*, actor: User, rfq_id: int, files: list[UploadedFile], now: datetime | None = None) -> Rfq:
    """The buyer adds files to an open RFQ."""
    now = now or clock.now()
    rfq = _buyer_rfq_locked(actor, rfq_id)
    if rfq.state != State.OPEN:
        raise Conflict(gettext("This RFQ is closed."), code=Code.RFQ_CLOSED)
    if not files:
        raise ValidationFailed(gettext("Choose a file."), field="files")
    _store_files(rfq, files, actor, now)
    return rfq


def close(rfq: Rfq, *, actor: User | None, reason: str, now: datetime) -> None:
    """Close a (locked) open RFQ to new quotes; the quotes already sent go on."""
    rfq.closed_at = now
    states.transition(rfq, State.CLOSED, actor=actor, reason=reason)


@transaction.atomic
def cancel_rfq(*, actor: User, rfq_id: int, reason: str = "", now: datetime | None = None) -> Rfq:
    """The buyer withdraws an open RFQ: no more quotes come in; quotes already sent stay as they are."""
    now = now or clock.now()
    rfq = _buyer_rfq_locked(actor, rfq_id)
    if rfq.state != State.OPEN:
        raise Conflict(gettext("This RFQ is closed."), code=Code.RFQ_CLOSED)
    rfq.closed_at = now
    states.transition(rfq, State.CANCELLED, actor=actor, reason=reason.strip()[:200] or "cancelled by the buyer")
    return rfq


def sweep_rfq_deadlines(now: datetime) -> int:
    """Open RFQs past their deadline close. Running it twice changes nothing."""
    done = 0
    due = Rfq.objects.filter(state=State.OPEN, deadline__lte=now).values_list("pk", flat=True)
    for pk in list(due[:500]):
        with transaction.atomic():
            rfq = Rfq.objects.select_for_update().get(pk=pk)
            if rfq.state == State.OPEN and rfq.deadline <= now:  # re-checked under the lock
                close(rfq, actor=None, reason="deadline passed", now=now)
                done += 1
    return done
