from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

import nh3
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.text import slugify
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category, Product, ProductImage, Variant
from tradeloop.catalog.signals import products_changed
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.core.money import check_currency, parse_amount, quantize

ALLOWED_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "a",
    "table",
    "tr",
    "td",
    "th",
}
THUMBNAIL_SIZE = (480, 480)
MAX_IMAGE_BYTES = 8 * 1024 * 1024


def sanitise(html: str) -> str:
    return nh3.clean(html or "", tags=ALLOWED_TAGS, link_rel="noopener nofollow")


def _text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(gettext("%(field)s is required") % {"field": field}, field=field)
    if len(value) > max_length:
        raise ValidationFailed(
            gettext("%(field)s is longer than %(max)s characters") % {"field": field, "max": max_length}, field=field
        )
    return value


def _choice(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(
            gettext("%(value)s is not one of %(choices)s")
            % {"value": repr(value), "choices": ", ".join(choices.values)},
            field=field,
        )
    return value


def _attributes(value, *, field: str = "attributes") -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValidationFailed(
            gettext("%(field)s must be a mapping of names to values") % {"field": field}, field=field
        )
    return {k.strip()[:60]: str(v).strip()[:200] for k, v in value.items() if k.strip()}


def _category(value: Category | int | str | None) -> Category | None:
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        return value
    lookup = {"pk": value} if str(value).isdigit() else {"slug": value}
    found = Category.objects.filter(**lookup).first()
    if found is None:
        raise ValidationFailed(gettext("no category %(category)s") % {"category": repr(value)}, field="category")
    return found


@dataclass
class VariantInput:
    sku: str
    price: Decimal | str | int
    name: str = ""
    name_zh: str = ""
    currency: str = ""
    compare_at_price: Decimal | str | int | None = None
    stock: int | None = 0  # None: leave the stock as it is (a concurrent sale is not overwritten)
    weight_grams: int = 0
    options: dict = field(default_factory=dict)
    is_active: bool = True


def clean_variant_fields(data: VariantInput, *, default_currency: str) -> dict:
    """A variant's validated model fields; raises ValidationFailed naming the first bad field."""
    currency = check_currency(data.currency or default_currency)
    price = parse_amount(data.price, field="price")
    if price < 0:
        raise ValidationFailed(gettext("price cannot be negative"), field="price")
    compare_at = None
    if data.compare_at_price not in (None, ""):
        compare_at = parse_amount(data.compare_at_price, field="compare_at_price")
        if compare_at < price:
            raise ValidationFailed(gettext("original price must not be below the price"), field="compare_at_price")
        compare_at = quantize(compare_at, currency)
    try:
        stock = None if data.stock is None else int(data.stock)
        weight = int(data.weight_grams)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("stock and weight must be whole numbers"), field="stock") from exc
    if stock is not None and stock < 0:
        raise ValidationFailed(gettext("stock cannot be negative"), field="stock")
    if weight < 0:
        raise ValidationFailed(gettext("weight cannot be negative"), field="weight_grams")
    return {
        "sku": _text(data.sku, field="sku", max_length=64, required=True),
        "name": _text(data.name, field="name", max_length=120),
        "name_zh": _text(data.name_zh, field="name_zh", max_length=120),
        "price": quantize(price, currency),
        "compare_at_price": compare_at,
        "currency": currency,
        "stock": stock,
        "weight_grams": weight,
        "options": _attributes(data.options),
        "is_active": bool(data.is_active),
    }


MAX_RETURN_WINDOW_DAYS = 365


def _return_window(value) -> int | None:
    """Days after delivery a buyer may return the product; None (or "") means the platform default."""
    if value is None or value == "":
        return None
    try:
        days = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            gettext("return window must be a whole number of days"), field="return_window_days"
        ) from exc
    if not 0 <= days <= MAX_RETURN_WINDOW_DAYS:
        raise ValidationFailed(
            gettext("return window must be between 0 and %(max)s days") % {"max": MAX_RETURN_WINDOW_DAYS},
            field="return_window_days",
        )
    return days


def clean_product_fields(changes: dict) -> dict:
    """The validated model fields for the product fields given; raises ValidationFailed naming the bad field."""
    out = {}
    for name in ("title", "title_zh"):  # at least one of the two: see apply_product_fields
        if name in changes:
            out[name] = _text(changes[name], field=name, max_length=200)
    for name in ("description", "description_zh"):
        if name in changes:
            out[name] = sanitise(changes[name])
    if "kind" in changes:
        out["kind"] = _choice(changes["kind"], Product.Kind, field="kind")
    if "condition" in changes:
        out["condition"] = _choice(changes["condition"], Product.Condition, field="condition")
    if "category" in changes:
        out["category"] = _category(changes["category"])
    for name in ("attributes", "attributes_zh"):
        if name in changes:
            out[name] = _attributes(changes[name], field=name)
    if "is_featured" in changes:
        out["is_featured"] = bool(changes["is_featured"])
    if "return_window_days" in changes:
        out["return_window_days"] = _return_window(changes["return_window_days"])
    unknown = set(changes) - {
        *Product.TRANSLATED,
        *(f"{name}_zh" for name in Product.TRANSLATED),
        "kind",
        "condition",
        "category",
        "is_featured",
        "return_window_days",
    }
    if unknown:
        raise ValidationFailed(
            gettext("unknown field %(field)s") % {"field": repr(sorted(unknown)[0])}, field=sorted(unknown)[0]
        )
    return out


def apply_product_fields(product: Product, cleaned: dict) -> None:
    """Set fields cleaned by clean_product_fields; a product keeps a title in at least one language, and
    its slug follows the title (the English one, else the Chinese)."""
    for name, value in cleaned.items():
        setattr(product, name, value)
    if "title" in cleaned or "title_zh" in cleaned:
        if not (product.title or product.title_zh):
            raise ValidationFailed(gettext("give a title in English or in Chinese"), field="title")
        product.slug = slugify(product.title or product.title_zh, allow_unicode=True)[:200] or "item"


@transaction.atomic
def create_product(
    *, actor: User, seller: Organization, title: str = "", variants: list[VariantInput] = (), **fields
) -> Product:
    """A draft product; `title` is the English title, `title_zh` (in `fields`) the Chinese: one is needed."""
    require(actor, seller, "catalog.manage")
    if not seller.sells:
        raise ValidationFailed(gettext("this organization does not sell"), field="seller")
    product = Product(seller=seller, currency=seller.currency)
    apply_product_fields(product, clean_product_fields({"title": title, "title_zh": "", **fields}))
    product.save()
    for data in variants:
        _save_variant(product, data)
    refresh_summary(product)
    states.record(product, new=product.status, actor=actor, reason="created")
    return product


def seller_product(*, actor: User, product_id: int, capability: str = "catalog.manage") -> Product:
    """A product the actor may manage; another tenant's product answers 404."""
    product = Product.objects.select_related("seller").filter(pk=product_id).first()
    if product is None:
        raise NotFound(gettext("product not found"))
    try:
        require(actor, product.seller, capability)
    except NotFound as exc:
        raise NotFound(gettext("product not found")) from exc
    return product


@transaction.atomic
def update_product(*, actor: User, product: Product, **changes) -> Product:
    require(actor, product.seller, "catalog.manage")
    apply_product_fields(product, clean_product_fields(changes))
    product.updated_at = clock.now()
    product.save()
    return product


def _save_variant(product: Product, data: VariantInput, variant: Variant | None = None) -> Variant:
    values = clean_variant_fields(data, default_currency=product.currency)
    if values["currency"] != product.currency and product.variants.exclude(pk=getattr(variant, "pk", None)).exists():
        raise ValidationFailed(gettext("all variants of a product share one currency"), field="currency")
    clash = product.variants.filter(sku=values["sku"]).exclude(pk=getattr(variant, "pk", None))
    if clash.exists():
        raise Conflict(gettext("SKU %(sku)s is already used by this product") % {"sku": values["sku"]}, field="sku")
    variant = variant or Variant(product=product, position=product.variants.count())
    stock = values.pop("stock")  # stock lives in inventory (per warehouse); Variant.stock is its summary
    for name, value in values.items():
        setattr(variant, name, value)
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError as exc:
        raise Conflict(
            gettext("SKU %(sku)s is already used by this product") % {"sku": values["sku"]}, field="sku"
        ) from exc
    if values["currency"] != product.currency:
        product.currency = values["currency"]
        product.save(update_fields=["currency"])
    if stock is not None and stock != variant.stock:
        from tradeloop.inventory.services import set_available  # same layer; inventory builds on catalog models

        set_available(actor=None, variant=variant, available=stock)
        variant.stock = stock
    return variant


@transaction.atomic
def save_variant(*, actor: User, product: Product, data: VariantInput, variant_id: int | None = None) -> Variant:
    require(actor, product.seller, "catalog.manage")
    variant = None
    if variant_id is not None:
        variant = product.variants.filter(pk=variant_id).first()
        if variant is None:
            raise NotFound(gettext("variant not found"), field="variant")
    variant = _save_variant(product, data, variant)
    refresh_summary(product)
    return variant


@transaction.atomic
def delete_variant(*, actor: User, product: Product, variant_id: int) -> None:
    require(actor, product.seller, "catalog.manage")
    deleted, _ = product.variants.filter(pk=variant_id).delete()
    if not deleted:
        raise NotFound(gettext("variant not found"), field="variant")
    refresh_summary(product)


SUMMARY_FIELDS = ("price_from", "compare_at_from", "in_stock", "cover", "updated_at")
SUMMARY_BATCH = 500


def refresh_summary(product: Product) -> None:
    """Keep the list-page fields (lowest price, original price, stock flag, cover) in step with variants."""
    refresh_summaries([product.pk])
    product.refresh_from_db(fields=SUMMARY_FIELDS)


def refresh_summaries(product_ids: Iterable[int]) -> None:
    """The list-page fields of many products at once: one set-based UPDATE per batch, whatever the batch size."""
    active = Variant.objects.filter(product=OuterRef("pk"), is_active=True).order_by().values("product")
    # The original price shown beside "from ¥9.90" is the cheapest variant's, not another variant's.
    cheapest = Variant.objects.filter(product=OuterRef("pk"), is_active=True).order_by("price", "position", "id")
    first_image = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .annotate(file=Coalesce(NullIf("thumbnail", Value("")), "image", output_field=CharField()))
        .values("file")[:1]
    )
    ids = list(product_ids)
    for start in range(0, len(ids), SUMMARY_BATCH):
        Product.objects.filter(pk__in=ids[start : start + SUMMARY_BATCH]).update(
            price_from=Subquery(active.annotate(low=Min("price")).values("low")),
            compare_at_from=Subquery(cheapest.values("compare_at_price")[:1]),
            in_stock=Exists(Variant.objects.filter(product=OuterRef("pk"), is_active=True, stock__gt=0)),
            cover=Coalesce(Subquery(first_image), Value(""), output_field=CharField()),
            updated_at=clock.now(),
        )
    products_changed.send(sender=Product, product_ids=ids)


def count_sold(units_by_product: dict[int, int]) -> None:
    """Add (or, negative, take back) sold units: one guarded UPDATE per product, never below zero."""
    for product_id, units in sorted(units_by_product.items()):
        if units > 0:
            Product.objects.filter(pk=product_id).update(sold_count=F("sold_count") + units)
        elif units < 0:
            taken = Product.objects.filter(pk=product_id, sold_count__gte=-units).update(
                sold_count=F("sold_count") + units
            )
            if not taken:
                Product.objects.filter(pk=product_id).update(sold_count=0)
    products_changed.send(sender=Product, product_ids=sorted(units_by_product))


def refresh_stock_flags(product_ids: list[int]) -> None:
    in_stock = Variant.objects.filter(product=OuterRef("pk"), is_active=True, stock__gt=0)
    Product.objects.filter(pk__in=product_ids).update(in_stock=Exists(in_stock))
    products_changed.send(sender=Product, product_ids=product_ids)


def _thumbnail(image: Image.Image) -> ContentFile:
    thumb = image.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    buffer = BytesIO()
    thumb.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


def _open_image(upload: UploadedFile) -> Image.Image:
    if upload.size and upload.size > MAX_IMAGE_BYTES:
        raise ValidationFailed(gettext("images must be 8 MB or smaller"), field="image")
    try:
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationFailed(gettext("that file is not an image we can read"), field="image") from exc
    return image


@transaction.atomic
def add_image(*, actor: User, product: Product, upload: UploadedFile, alt: str = "") -> ProductImage:
    require(actor, product.seller, "catalog.manage")
    image = _open_image(upload)
    upload.seek(0)
    stem = slugify(upload.name.rsplit(".", 1)[0]) or "image"
    record = ProductImage(product=product, alt=_text(alt, field="alt", max_length=200), position=product.images.count())
    record.image.save(f"{stem}.{(image.format or 'jpg').lower()}", upload, save=False)
    record.thumbnail.save(f"{stem}-thumb.jpg", _thumbnail(image), save=False)
    record.save()
    refresh_summary(product)
    return record


@transaction.atomic
def remove_image(*, actor: User, product: Product, image_id: int) -> None:
    require(actor, product.seller, "catalog.manage")
    image = product.images.filter(pk=image_id).first()
    if image is None:
        raise NotFound(gettext("image not found"), field="image")
    image.delete()
    refresh_summary(product)


def _publish(product: Product, actor: User) -> None:
    if not product.variants.filter(is_active=True).exists():
        raise ValidationFailed(
            gettext("add at least one active variant with a price before publishing"), field="variants"
        )
    product.published_at = product.published_at or clock.now()
    states.transition(product, Product.Status.PUBLISHED, actor=actor)


@transaction.atomic
def publish(*, actor: User, product: Product) -> Product:
    require(actor, product.seller, "catalog.manage")
    _publish(product, actor)
    return product


@transaction.atomic
def unpublish(*, actor: User, product: Product) -> Product:
    require(actor, product.seller, "catalog.manage")
    states.transition(product, Product.Status.UNPUBLISHED, actor=actor)
    return product


@transaction.atomic
def set_status_in_bulk(*, actor: User, seller: Organization, product_ids: list[int], status: str) -> int:
    """Publish or unpublish many products at once; products that cannot move are skipped, not failed."""
    require(actor, seller, "catalog.manage")
    _choice(status, Product.Status, field="status")
    changed = 0
    for product in seller.products.select_for_update().filter(pk__in=product_ids):
        if status in Product.ALLOWED.get(product.status, ()):
            if status == Product.Status.PUBLISHED:
                try:
                    _publish(product, actor)
                except ValidationFailed:
                    continue
            else:
                states.transition(product, status, actor=actor)
            changed += 1
    return changed


@transaction.atomic
def create_category(*, name: str, slug: str = "", parent: Category | None = None, name_zh: str = "") -> Category:
    name = _text(name, field="name", max_length=120, required=True)
    slug = slugify(slug or name)[:80]
    if not slug:
        raise ValidationFailed(gettext("the category needs a latin slug"), field="slug")
    if Category.objects.filter(slug=slug).exists():
        raise Conflict(gettext("category %(slug)s exists") % {"slug": repr(slug)}, field="slug")
    return Category.objects.create(name=name, slug=slug, parent=parent, name_zh=name_zh)


def verified_image(upload: UploadedFile) -> Image.Image:
    """An uploaded file opened and verified by Pillow (at most 8 MB); anything else raises ValidationFailed("image")."""
    return _open_image(upload)


PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # what people may attach as photos, and its extension


def checked_photo(upload: UploadedFile, *, field: str, max_bytes: int, too_large: str, wrong_type: str) -> str:
    """The photo's extension once it is a JPEG, PNG or WebP of at most `max_bytes`; else ValidationFailed on `field`
    with the caller's code for a file too large or of the wrong type."""
    if upload.size is None or upload.size > max_bytes:
        raise ValidationFailed(
            gettext("A photo may be at most %(mb)s MB.") % {"mb": max(1, max_bytes // (1024 * 1024))},
            field=field,
            code=too_large,
        )
    try:
        image = verified_image(upload)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field=field, code=wrong_type) from exc
    if image.format not in PHOTO_FORMATS:
        raise ValidationFailed(gettext("Send photos as JPEG, PNG or WebP."), field=field, code=wrong_type)
    upload.seek(0)
    return PHOTO_FORMATS[image.format]
