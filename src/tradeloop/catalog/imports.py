"""Catalog import from CSV: many products and variants for one seller, fast, with per-row errors.

One row is one variant (a SKU). Rows with the same ``handle`` become one product; the product's own
columns are read from the first row of its handle (later rows may leave them blank).

==================  =========  ===========================================================================
column              required   meaning
==================  =========  ===========================================================================
``sku``             yes        the variant's SKU (unique within the file)
``price``           yes        the price, e.g. ``12.50`` (no currency sign)
``handle``                     groups rows into one product; defaults to the title (or, without a title,
                               to the SKU so a row can update an existing variant on its own)
``title``                      product title in English; a new product needs it or ``title_zh``
``title_zh``                   product title in Simplified Chinese (shown to shoppers reading Chinese;
                               each language falls back to the other when one is blank)
``currency``                   ISO code; defaults to the existing product's currency, else the seller's
``compare_at_price``           the original price shown struck through; blank = not discounted
``stock``                      units on hand, a whole number; blank keeps the current stock (0 when new)
``weight_grams``               shipping weight in grams; blank keeps the current weight (0 when new)
``variant_name``               e.g. ``1 kg box``; defaults to the option values joined by `` / ``
``variant_name_zh``            the variant's name in Simplified Chinese, e.g. ``1 公斤装``
``options``                    the variant's options: ``Size=1 kg; Colour=Red``
``category``                   category slug, e.g. ``fruit``
``kind``                       ``physical`` (default), ``listing``, ``deal`` or ``service``
``condition``                  ``new`` (default), ``like_new``, ``good`` or ``fair``
``description``                HTML or text; sanitised like the seller console
``description_zh``             the description in Simplified Chinese
``attributes``                 product attributes: ``Resolution=24-bit; Channels=10``
``attributes_zh``              the attributes in Simplified Chinese: ``分辨率=24 位; 通道数=10``
``image_url``                  path of a local image file (absolute, or relative to the CSV file); it
                               becomes the product's picture when the product has none. Web addresses
                               (http/https) are ignored: the import never downloads anything.
==================  =========  ===========================================================================

Blank product cells keep an existing product's value (or take the default for a new product).

Matching, so that importing the same file twice updates instead of duplicating: a row's SKU is looked up
among the seller's variants; a handle whose SKUs are already known updates that product (adding any new
SKUs to it). A handle with no known SKU updates the seller's product whose slug is the slugified handle,
else a new draft product is created (published at once with ``publish=True``).

Every row is validated with the same rules as the seller console (``catalog.services.clean_*_fields``);
a bad row becomes a :class:`RowError` (row = line number in the file, the header being line 1) and the
good rows are still imported. The work is done in chunks of whole handles, one transaction per chunk,
with bulk inserts and updates and a set-based refresh of the products' list fields.

The file is streamed: it is read once to check it (so a file that is not UTF-8 or not CSV imports nothing) and
count its rows, then again a chunk at a time; the SKUs already met are kept in a scratch SQLite file. Memory
stays flat whatever the size of the file or of the catalog. The rows of a handle are grouped within a chunk;
a handle that comes back later in the file updates the product an earlier chunk wrote.
"""

from __future__ import annotations

import csv
import io
import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.core.files import File
from django.db import connection, models, transaction
from django.db.models import Count, DateTimeField, Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog import services
from tradeloop.catalog.models import Category, Product, ProductImage, Variant
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.core.models import Event
from tradeloop.core.money import check_currency

REQUIRED_COLUMNS = ("sku", "price")
CONTENT_COLUMNS = ("title", "title_zh", "description", "description_zh", "attributes", "attributes_zh")
PAIR_COLUMNS = ("attributes", "attributes_zh")  # written Name=Value; Name2=Value2
PRODUCT_COLUMNS = (*CONTENT_COLUMNS, "kind", "condition", "category")
VARIANT_COLUMNS = (
    "sku",
    "price",
    "currency",
    "compare_at_price",
    "stock",
    "weight_grams",
    "variant_name",
    "variant_name_zh",
    "options",
)
COLUMNS = ("handle", *PRODUCT_COLUMNS, *VARIANT_COLUMNS, "image_url")
PRODUCT_UPDATE_FIELDS = (*CONTENT_COLUMNS, "slug", "kind", "condition", "category", "updated_at")
# Stock is not written here: it goes into the default warehouse through inventory.services.import_levels.
VARIANT_UPDATE_FIELDS = ("name", "name_zh", "options", "price", "compare_at_price", "currency", "weight_grams")
CHUNK_ROWS = 500

Progress = Callable[[int, int | None], None]


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be imported (unreadable, not CSV, required columns missing)."""

    code = "bad_file"


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str
    reason: str


@dataclass
class ImportResult:
    rows: int = 0
    imported_rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    published: int = 0
    images_added: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class _Group:
    """The rows of one handle: one product to create or update."""

    rows: list[Row]
    product: Product | None = None
    variants: list[Variant] = field(default_factory=list)
    image: tuple[Path, int] | None = None  # (file, row it came from)


# --- reading ---------------------------------------------------------------------------------------------


def _normalise_header(name: str) -> str:
    return (name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _open(source: str | Path | TextIO) -> tuple[TextIO, Path | None]:
    if hasattr(source, "read"):
        return source, None
    path = Path(source)
    try:
        return path.open(encoding="utf-8-sig", newline=""), path.resolve().parent
    except FileNotFoundError as exc:
        raise ImportFileError(gettext("no such file: %(path)s") % {"path": path}, field="file") from exc
    except OSError as exc:
        raise ImportFileError(
            gettext("cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}, field="file"
        ) from exc


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


@dataclass
class CsvFile:
    """An opened catalog file: its data rows as a stream, the columns it ignores, where it lies, how many rows."""

    rows: Iterator[Row]
    ignored: list[str]
    folder: Path | None
    total: int | None  # data rows, when the file could be read ahead (a file on disk or a seekable stream)


def _file_error(reader, exc: Exception) -> ImportFileError:
    if isinstance(exc, UnicodeDecodeError):
        return ImportFileError(gettext("the file is not UTF-8 text"), field="file")
    return ImportFileError(gettext("line %(line)s: %(error)s") % {"line": reader.line_num, "error": exc}, field="file")


def _lines(stream: TextIO) -> tuple[Iterator[str], csv.Dialect | type[csv.Dialect]]:
    """The stream's lines and its dialect, sniffed from its first 4 KB (read to the end of their last line)."""
    try:
        sample = (stream.read(4096) + stream.readline()).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ImportFileError(gettext("the file is not UTF-8 text"), field="file") from exc
    return itertools.chain(io.StringIO(sample, newline=""), stream), _dialect(sample[:4096])


def _header(reader) -> list[str]:
    header = [_normalise_header(name) for name in next(reader, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            gettext("missing required column(s): %(columns)s") % {"columns": ", ".join(missing)}, field="columns"
        )
    return header


def _count_rows(stream: TextIO) -> int | None:
    """Read the whole stream once, keeping nothing, and rewind it: the number of data rows; a broken file fails
    here, before anything is written. None when the stream cannot be rewound (it is then checked as it goes)."""
    if not (hasattr(stream, "seekable") and stream.seekable()):
        return None
    start = stream.tell()
    lines, dialect = _lines(stream)
    reader = csv.reader(lines, dialect)
    try:
        _header(reader)
        total = sum(1 for values in reader if any(value.strip() for value in values))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _file_error(reader, exc) from exc
    stream.seek(start)
    return total


def _stream_rows(reader, header: list[str]) -> Iterator[Row]:
    line = reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if any(value.strip() for value in values):
                yield Row(start, {k: v.strip() for k, v in zip(header, values, strict=False) if k in COLUMNS})
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _file_error(reader, exc) from exc


@contextmanager
def open_rows(source: str | Path | TextIO) -> Iterator[CsvFile]:
    """The file's rows, one at a time (with their line numbers); raises ImportFileError for an unusable file."""
    stream, folder = _open(source)
    try:
        total = _count_rows(stream)
        lines, dialect = _lines(stream)
        reader = csv.reader(lines, dialect)
        try:
            header = _header(reader)
        except csv.Error as exc:
            raise _file_error(reader, exc) from exc
        ignored = [name for name in header if name and name not in COLUMNS]
        yield CsvFile(_stream_rows(reader, header), ignored, folder, total)
    finally:
        if folder is not None:
            stream.close()


def parse_pairs(text: str, *, field: str) -> dict[str, str]:
    """``Key=Value; Key2=Value2`` → a dict (the format of the attributes and options columns)."""
    pairs = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValidationFailed(
                gettext("write %(field)s as Name=Value; Name2=Value2") % {"field": field}, field=field
            )
        pairs[key.strip()] = value.strip()
    return pairs


def _group_key(row: Row) -> tuple[str, str]:
    if row.get("handle"):
        return ("handle", row.get("handle"))
    if _title(row):
        return ("handle", _title(row))
    return ("sku", row.get("sku"))


def _title(row: Row) -> str:
    return row.get("title") or row.get("title_zh")


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[list[Row]]]:
    """The rows in file order, about `size` at a time, each chunk as the rows of its handles (a handle is never
    cut at a chunk's edge, unless its rows are apart in the file)."""
    groups: dict[tuple[str, str], list[Row]] = {}
    count, last = 0, None
    for row in rows:
        key = _group_key(row)
        if count >= size and key != last:
            yield list(groups.values())
            groups, count = {}, 0
        groups.setdefault(key, []).append(row)
        count, last = count + 1, key
    if groups:
        yield list(groups.values())


# --- planning: validate rows and decide what to create or update ----------------------------------------


class _SeenSkus:
    """The SKUs met so far in the file, with their line, in a scratch SQLite file (not in memory)."""

    BATCH = 500  # bound variables per statement

    def __init__(self):
        self.db = sqlite3.connect("")  # "": a private temporary database on disk, gone when closed
        self.db.execute("CREATE TABLE seen (sku TEXT PRIMARY KEY, line INTEGER NOT NULL)")

    def lines_of(self, skus: Iterable[str]) -> dict[str, int]:
        found, skus = {}, list(skus)
        for start in range(0, len(skus), self.BATCH):
            batch = skus[start : start + self.BATCH]
            marks = ",".join("?" * len(batch))
            found.update(self.db.execute(f"SELECT sku, line FROM seen WHERE sku IN ({marks})", batch))
        return found

    def add(self, lines: dict[str, int]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", lines.items())

    def close(self) -> None:
        self.db.close()


class _Chunk:
    """What the database already knows about one chunk's SKUs, handles and categories (a few indexed queries,
    whatever the size of the catalog)."""

    def __init__(self, seller: Organization, groups: list[list[Row]]):
        rows = [row for group in groups for row in group]
        # Looked up by SKU and by slug alone, then kept if the seller's: given the seller too, SQLite walks all
        # of the seller's products (it has no statistics to know the SKU or slug index is the narrow one).
        skus = {row.get("sku") for row in rows}
        found = Variant.objects.filter(sku__in=skus).order_by().values_list("pk", "product__seller_id")
        own_variants = [pk for pk, seller_id in found if seller_id == seller.pk]
        variants = list(Variant.objects.select_for_update().filter(pk__in=own_variants).order_by("product_id", "pk"))
        slugs = {_handle_slug(group[0]) for group in groups}
        slug_ids: dict[str, int] = {}
        named = Product.objects.filter(slug__in=slugs).order_by("-pk").values_list("slug", "pk", "seller_id")
        for slug, pk, seller_id in named:
            if seller_id == seller.pk:
                slug_ids[slug] = pk  # the oldest wins when slugs repeat
        product_ids = {v.product_id for v in variants} | set(slug_ids.values())
        products = {p.pk: p for p in seller.products.select_for_update().filter(pk__in=product_ids)}
        self.variants_by_sku: dict[str, list[Variant]] = defaultdict(list)
        for variant in variants:
            variant.product = products[variant.product_id]
            self.variants_by_sku[variant.sku].append(variant)
        self.products_by_slug = {slug: products[pk] for slug, pk in slug_ids.items()}
        category_slugs = {row.get("category") for row in rows if row.get("category")}
        self.categories = {c.slug: c for c in Category.objects.filter(slug__in=category_slugs)}
        self.variant_counts: dict[int, int] = {}
        self.seen_skus: dict[str, int] = {}  # the SKUs of earlier chunks met again here, then this chunk's own

    def count_variants(self, products: Iterable[Product]) -> None:
        ids = {p.pk for p in products if p.pk}
        counted = Variant.objects.filter(product_id__in=ids).values("product_id").annotate(n=Count("id"))
        self.variant_counts = {row["product_id"]: row["n"] for row in counted}


def _handle_slug(row: Row) -> str:
    handle = row.get("handle") or _title(row)
    return (slugify(handle, allow_unicode=True)[:200] or "item") if handle else ""


def _existing_product(group: list[Row], known: _Chunk) -> Product | None:
    """The seller's product this handle updates: the one owning most of its SKUs, else the one with its slug."""
    votes: dict[int, tuple[int, Product]] = {}
    for row in group:
        for variant in known.variants_by_sku.get(row.get("sku"), ()):
            n, _ = votes.get(variant.product_id, (0, variant.product))
            votes[variant.product_id] = (n + 1, variant.product)
    if votes:
        return max(votes.items(), key=lambda item: (item[1][0], -item[0]))[1][1]
    return known.products_by_slug.get(_handle_slug(group[0]))


def _product_changes(row: Row, known: _Chunk, *, is_new: bool) -> tuple[dict, list[RowError]]:
    """The validated product fields given on the row, checked one by one so every bad field is reported."""
    given = {column: row.get(column) for column in PRODUCT_COLUMNS if row.get(column)}
    if "kind" in given:
        given["kind"] = given["kind"].lower()
    if "condition" in given:
        given["condition"] = given["condition"].lower().replace(" ", "_").replace("-", "_")
    if "category" in given:
        given["category"] = known.categories.get(given["category"], given["category"])
    changes, errors = {}, []
    if is_new and not _title(row):
        errors.append(RowError(row.line, "title", gettext("give a title in English or in Chinese")))
    for column, value in given.items():
        try:
            if column in PAIR_COLUMNS:
                value = parse_pairs(value, field=column)
            changes.update(services.clean_product_fields({column: value}))
        except ValidationFailed as exc:
            errors.append(RowError(row.line, exc.field or column, exc.message))
    return changes, errors


def _variant_input(row: Row, existing: Variant | None) -> services.VariantInput:
    """The row as a VariantInput; blank cells keep the existing variant's value (or the default)."""
    options = parse_pairs(row.get("options"), field="options")
    return services.VariantInput(
        sku=row.get("sku"),
        price=row.get("price"),
        currency=row.get("currency"),
        compare_at_price=row.get("compare_at_price") or None,
        stock=row.get("stock") or (existing.stock if existing else 0),
        weight_grams=row.get("weight_grams") or (existing.weight_grams if existing else 0),
        options=options or (existing.options if existing else {}),
        name=row.get("variant_name") or " / ".join(options.values()) or (existing.name if existing else ""),
        name_zh=row.get("variant_name_zh") or (existing.name_zh if existing else ""),
    )


def _image_path(row: Row, folder: Path | None) -> Path | None:
    value = row.get("image_url")
    if not value or value.lower().startswith(("http://", "https://")):
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (folder or Path.cwd()) / path
    if not path.is_file():
        raise ValidationFailed(gettext("no image file at %(path)s") % {"path": value}, field="image_url")
    return path


class _Planner:
    """Turns one chunk of rows into unsaved products and variants, collecting the rows' errors."""

    def __init__(self, seller: Organization, folder: Path | None, result: ImportResult):
        self.seller, self.folder, self.result = seller, folder, result
        self.seen = _SeenSkus()

    def plan(self, rows_of_groups: list[list[Row]]) -> list[_Group]:
        known = _Chunk(self.seller, rows_of_groups)
        known.seen_skus = self.seen.lines_of({row.get("sku") for rows in rows_of_groups for row in rows})
        earlier = dict(known.seen_skus)
        groups = [self._plan_product(rows, known) for rows in rows_of_groups]
        known.count_variants(group.product for group in groups if group.product)
        for group in groups:
            if group.product is not None:
                self._plan_variants(group, known)
        self.seen.add({sku: line for sku, line in known.seen_skus.items() if sku not in earlier})
        return [group for group in groups if group.variants]

    def _fail(self, errors: Iterable[RowError]) -> None:
        self.result.errors.extend(errors)

    def _plan_product(self, rows: list[Row], known: _Chunk) -> _Group:
        group = _Group(rows)
        first = rows[0]
        existing = _existing_product(rows, known)
        changes, errors = _product_changes(first, known, is_new=existing is None)
        if errors:
            self._fail(errors)
            skipped = gettext("skipped: the product on row %(line)s has errors") % {"line": first.line}
            self._fail(RowError(row.line, "handle", skipped) for row in rows[1:])
            return group
        group.product = existing or Product(seller=self.seller, currency=self._new_product_currency(first))
        services.apply_product_fields(group.product, changes)
        return group

    def _new_product_currency(self, first: Row) -> str:
        try:
            return check_currency(first.get("currency") or self.seller.currency)
        except ValidationFailed:
            return self.seller.currency  # the row itself reports the bad code

    def _plan_variants(self, group: _Group, known: _Chunk) -> None:
        product = group.product
        own = {
            v.sku: v
            for row in group.rows
            for v in known.variants_by_sku.get(row.get("sku"), ())
            if v.product_id == product.pk
        }
        position = known.variant_counts.get(product.pk, 0)
        for row in group.rows:
            try:
                image = _image_path(row, self.folder)
                variant = self._plan_variant(row, product, own.get(row.get("sku")), known.seen_skus)
            except ValidationFailed as exc:
                self._fail([RowError(row.line, exc.field or "row", exc.message)])
                continue
            if variant.pk is None:
                variant.position, position = position, position + 1
            group.variants.append(variant)
            if image and group.image is None:
                group.image = (image, row.line)

    def _plan_variant(self, row: Row, product: Product, existing: Variant | None, seen: dict[str, int]) -> Variant:
        sku = row.get("sku")
        if sku in seen:
            raise ValidationFailed(
                gettext("SKU %(sku)s already appears on row %(line)s") % {"sku": sku, "line": seen[sku]},
                field="sku",
            )
        values = services.clean_variant_fields(_variant_input(row, existing), default_currency=product.currency)
        if values["currency"] != product.currency:
            raise ValidationFailed(
                gettext("all variants of a product share one currency (%(currency)s)") % {"currency": product.currency},
                field="currency",
            )
        seen[sku] = row.line
        variant = existing or Variant(product=product)
        units = values.pop("stock")
        for name, value in values.items():
            setattr(variant, name, value)
        # Units on hand for the default warehouse: when the row gives them, or 0 for a new variant.
        variant.import_units = units if (row.get("stock") or existing is None) else None
        return variant


# --- writing ---------------------------------------------------------------------------------------------


def update_rows(model: type[models.Model], objects: list[models.Model], field_names: Iterable[str]) -> None:
    """Save these fields of many rows with one prepared UPDATE run for each row (executemany).

    Django's bulk_update builds a CASE expression per field and row, which costs about 0.3 ms of Python per
    value: a minute for 10,000 variants. The values are prepared by the fields themselves, as save() does.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _write(groups: list[_Group], *, actor: User, result: ImportResult) -> list[int]:
    """Bulk-insert and bulk-update one chunk's products and variants; the ids of the products touched."""
    now = clock.now()
    new_products = [g.product for g in groups if g.product.pk is None]
    old_products = list({g.product.pk: g.product for g in groups if g.product.pk is not None}.values())
    for product in new_products:
        product.created_at = product.updated_at = now
    for product in old_products:
        product.updated_at = now
    Product.objects.bulk_create(new_products)
    update_rows(Product, old_products, PRODUCT_UPDATE_FIELDS)
    new_variants, old_variants = [], []
    for group in groups:
        for variant in group.variants:
            variant.product = group.product
            (old_variants if variant.pk else new_variants).append(variant)
    Variant.objects.bulk_create(new_variants)
    update_rows(Variant, old_variants, VARIANT_UPDATE_FIELDS)
    _import_stock(new_variants + old_variants)
    Event.objects.bulk_create(_created_event(product, actor, now) for product in new_products)
    result.products_created += len(new_products)
    result.products_updated += len(old_products)
    result.variants_created += len(new_variants)
    result.variants_updated += len(old_variants)
    result.imported_rows += len(new_variants) + len(old_variants)
    return [product.pk for product in new_products + old_products]


def _import_stock(variants: list[Variant]) -> None:
    """The rows' units go on hand in the seller's default warehouse, recorded as import movements."""
    from tradeloop.inventory.services import import_levels  # inventory builds on catalog's models

    levels = {v.pk: v.import_units for v in variants if getattr(v, "import_units", None) is not None}
    if levels:
        import_levels(seller=variants[0].product.seller, levels=levels, note="CSV import")


def _created_event(product: Product, actor: User, now) -> Event:
    """The same audit record as catalog.services.create_product writes."""
    label = Product._meta.label_lower
    return Event(subject_type=label, subject_id=product.pk, new=product.status, actor=actor, reason="created", at=now)


def _publish(product_ids: list[int], actor: User) -> int:
    """Publish the products that may move to published (per Product.ALLOWED) and have an active variant."""
    now = clock.now()
    published = Product.Status.PUBLISHED
    movable = [status for status, targets in Product.ALLOWED.items() if published in targets]
    active = Variant.objects.filter(product=OuterRef("pk"), is_active=True)
    moving = list(
        Product.objects.filter(pk__in=product_ids, status__in=movable)
        .filter(Exists(active))
        .values_list("pk", "status")
    )
    Product.objects.filter(pk__in=[pk for pk, _ in moving]).update(
        status=published, published_at=Coalesce("published_at", Value(now, output_field=DateTimeField()))
    )
    label = Product._meta.label_lower
    Event.objects.bulk_create(
        Event(subject_type=label, subject_id=pk, old=old, new=published, actor=actor, at=now) for pk, old in moving
    )
    return len(moving)


def _add_images(planned: list[tuple[Product, Path, int]], *, actor: User, result: ImportResult) -> None:
    """A file named in image_url becomes the picture of a product that has none (so re-imports add nothing)."""
    pictured = set(
        ProductImage.objects.filter(product_id__in=[p.pk for p, _, _ in planned]).values_list("product_id", flat=True)
    )
    for product, path, line in planned:
        if product.pk in pictured:
            continue
        try:
            with path.open("rb") as handle:
                services.add_image(
                    actor=actor, product=product, upload=File(handle, name=path.name), alt=product.display_title
                )
        except DomainError as exc:
            result.errors.append(RowError(line, "image_url", exc.message))
            continue
        pictured.add(product.pk)
        result.images_added += 1


# --- the use case ----------------------------------------------------------------------------------------


def default_actor(seller: Organization) -> User:
    """Who an import runs as when nobody is named: the seller's first owner."""
    owner = seller.memberships.filter(role__code="owner").select_related("user").order_by("created_at", "id").first()
    if owner is None:
        raise NotFound(
            gettext("%(seller)s has no owner to import as; name a user") % {"seller": seller.name}, field="actor"
        )
    return owner.user


def import_catalog(
    *,
    actor: User,
    seller: Organization,
    source: str | Path | TextIO,
    publish: bool = False,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportResult:
    """Import a CSV into the seller's catalog; bad rows are reported in ``result.errors``, good ones kept.

    Raises PermissionDenied/NotFound when the actor may not manage the seller's catalog, and ImportFileError
    when the file as a whole is unusable (nothing is imported then).
    """
    require(actor, seller, "catalog.manage")
    if not seller.sells:
        raise ValidationFailed(gettext("this organization does not sell"), field="seller")
    with open_rows(source) as file:
        result = ImportResult(ignored_columns=file.ignored)
        planner = _Planner(seller, file.folder, result)
        try:
            _import_chunks(file, planner, actor=actor, publish=publish, progress=progress, chunk_rows=chunk_rows)
        finally:
            planner.seen.close()
    result.errors.sort(key=lambda error: error.row)
    return result


def _import_chunks(
    file: CsvFile, planner: _Planner, *, actor: User, publish: bool, progress: Progress | None, chunk_rows: int
) -> None:
    result = planner.result
    if progress:
        progress(0, file.total)
    for chunk in _chunks(file.rows, chunk_rows):
        with transaction.atomic():
            groups = planner.plan(chunk)
            touched = _write(groups, actor=actor, result=result)
            services.refresh_summaries(touched)
            if publish:
                result.published += _publish(touched, actor)
        # A product's picture is added after its chunk (a file per product, outside the chunk's transaction).
        _add_images([(g.product, *g.image) for g in groups if g.image], actor=actor, result=result)
        result.rows += sum(len(rows_of_group) for rows_of_group in chunk)
        if progress:
            progress(result.rows, file.total)
