"""Store decoration: a merchant (capability org.manage) builds its store page from a fixed set of sections, orders
them, picks theme colours, previews the draft and publishes it. Every write is here.

Text from merchants is plain text: tags (and script/style content) are removed with nh3 when saved, and templates
escape it again when rendering. Colours are `#rrggbb`; one that is too light for white text is saved with a warning.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass

import nh3
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Category, Product
from tradeloop.catalog.services import verified_image
from tradeloop.core import clock
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.storefront.models import StoreDesign, StoreImage

MANAGE = "org.manage"
MAX_SECTIONS = 12
MAX_PICKS = 12
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5
TEXT_LIMITS = {"heading": 120, "text": 600}
NOTICE_TONES = ("info", "warning", "success")


# --- text and colours ------------------------------------------------------------------------------------------


def plain_text(value: str | None, *, field: str, max_length: int) -> str:
    """What a merchant typed, as plain text: markup removed (repeatedly, so escaped markup cannot sneak back)."""
    text = (value or "").replace("\x00", "")
    for _round in range(3):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    text = text.strip()
    if len(text) > max_length:
        raise ValidationFailed(
            _("Keep it to %(max)s characters (this has %(count)s).") % {"max": max_length, "count": len(text)},
            field=field,
        )
    return text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on `colour` (1 to 21)."""
    return 1.05 / (luminance(colour) + 0.05)


def clean_colour(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not COLOUR.match(value):
        raise ValidationFailed(_("Use a colour like #c2410c."), field=field)
    return value.lower()


def shade(colour: str, factor: float) -> str:
    """Darker (factor < 1) or mixed towards white (factor > 1, e.g. 1.9 for a soft tint)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    if factor <= 1:
        mixed = (round(c * factor) for c in (r, g, b))
    else:
        weight = min(factor - 1, 1)
        mixed = (round(c + (255 - c) * weight) for c in (r, g, b))
    return "#" + "".join(f"{c:02x}" for c in mixed)


# --- the design ------------------------------------------------------------------------------------------------


def design_of(seller: Organization) -> StoreDesign:
    design, _created = StoreDesign.objects.get_or_create(seller=seller)
    return design


def _editable(actor: User, seller: Organization) -> StoreDesign:
    require(actor, seller, MANAGE)
    design_of(seller)
    return StoreDesign.objects.select_for_update().get(seller=seller)


def _saved(design: StoreDesign) -> StoreDesign:
    design.updated_at = clock.now()
    design.save()
    return design


def _default_section(kind: str) -> dict:
    defaults = {
        "banner": {"heading": "", "text": "", "image": ""},
        "featured_products": {"heading": _("Featured"), "product_ids": []},
        "category_grid": {"heading": _("Shop by category"), "category_ids": []},
        "coupon_strip": {"heading": _("Coupons")},
        "notice": {"text": "", "tone": "info"},
    }
    return {"type": kind, **defaults[kind]}


@transaction.atomic
def add_section(*, actor: User, seller: Organization, kind: str) -> StoreDesign:
    if kind not in StoreDesign.SECTION_TYPES:
        raise ValidationFailed(_("Choose one of the section types."), field="type")
    design = _editable(actor, seller)
    if len(design.draft_sections) >= MAX_SECTIONS:
        raise ValidationFailed(_("A store page has at most %(max)s sections.") % {"max": MAX_SECTIONS}, field="type")
    design.draft_sections = [*design.draft_sections, _default_section(kind)]
    return _saved(design)


def _section(design: StoreDesign, index: int) -> dict:
    if not 0 <= index < len(design.draft_sections):
        raise NotFound(_("section not found"))
    return design.draft_sections[index]


def _own_products(seller: Organization, ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in ids))[:MAX_PICKS]
    found = set(Product.objects.published().filter(seller=seller, pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise ValidationFailed(_("Pick from your published products."), field="product_ids")
    return ids


def _categories(ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in ids))[:MAX_PICKS]
    if Category.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationFailed(_("Pick categories from the list."), field="category_ids")
    return ids


def _banner_image(seller: Organization, upload: UploadedFile) -> str:
    image = verified_image(upload)  # Pillow opens and verifies it; not an image is a clear error
    upload.seek(0)
    stem = slugify(upload.name.rsplit(".", 1)[0]) or "banner"
    record = StoreImage(seller=seller, created_at=clock.now())
    record.image.save(f"{stem}.{(image.format or 'jpg').lower()}", upload, save=True)
    return record.image.name


def _clean_section(seller: Organization, section: dict, data: dict, upload: UploadedFile | None) -> dict:
    kind = section["type"]
    cleaned = dict(section)
    if "heading" in section:
        cleaned["heading"] = plain_text(data.get("heading"), field="heading", max_length=TEXT_LIMITS["heading"])
    if "text" in section:
        cleaned["text"] = plain_text(data.get("text"), field="text", max_length=TEXT_LIMITS["text"])
    if kind == "banner":
        if upload is not None:
            cleaned["image"] = _banner_image(seller, upload)
        elif data.get("remove_image"):
            cleaned["image"] = ""
        if not (cleaned["heading"] or cleaned["image"]):
            raise ValidationFailed(_("A banner needs a heading or an image."), field="heading")
    elif kind == "featured_products":
        cleaned["product_ids"] = _own_products(seller, data.get("product_ids") or [])
    elif kind == "category_grid":
        cleaned["category_ids"] = _categories(data.get("category_ids") or [])
    elif kind == "notice":
        if not cleaned["text"]:
            raise ValidationFailed(_("Write the notice."), field="text")
        tone = data.get("tone") or "info"
        if tone not in NOTICE_TONES:
            raise ValidationFailed(_("Choose a tone."), field="tone")
        cleaned["tone"] = tone
    return cleaned


@transaction.atomic
def update_section(
    *, actor: User, seller: Organization, index: int, data: dict, upload: UploadedFile | None = None
) -> StoreDesign:
    """Change one section of the draft. `data` holds the section's fields as typed (heading, text, ids, tone)."""
    design = _editable(actor, seller)
    sections = list(design.draft_sections)
    sections[index] = _clean_section(seller, _section(design, index), data, upload)
    design.draft_sections = sections
    return _saved(design)


@transaction.atomic
def move_section(*, actor: User, seller: Organization, index: int, direction: str) -> StoreDesign:
    design = _editable(actor, seller)
    _section(design, index)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise ValidationFailed(_("Move a section up or down."), field="direction")
    sections = list(design.draft_sections)
    if 0 <= target < len(sections):
        sections[index], sections[target] = sections[target], sections[index]
    design.draft_sections = sections
    return _saved(design)


@transaction.atomic
def remove_section(*, actor: User, seller: Organization, index: int) -> StoreDesign:
    design = _editable(actor, seller)
    _section(design, index)
    design.draft_sections = [s for i, s in enumerate(design.draft_sections) if i != index]
    return _saved(design)


@dataclass
class ColourResult:
    design: StoreDesign
    warnings: list[str]


@transaction.atomic
def set_colours(*, actor: User, seller: Organization, primary: str, accent: str) -> ColourResult:
    """Theme colours for the draft. Both carry white text (buttons, banner): below AA contrast is saved with a warning."""
    primary = clean_colour(primary, field="primary_colour")
    accent = clean_colour(accent, field="accent_colour")
    design = _editable(actor, seller)
    design.primary_colour, design.accent_colour = primary, accent
    warnings = []
    for label, colour in ((_("primary"), primary), (_("accent"), accent)):
        ratio = contrast_with_white(colour)
        if ratio < AA_NORMAL_TEXT:
            warnings.append(
                _("White text on the %(which)s colour %(colour)s has a contrast of %(ratio)s:1; AA needs 4.5:1.")
                % {"which": label, "colour": colour, "ratio": f"{ratio:.1f}"}
            )
    return ColourResult(_saved(design), warnings)


@transaction.atomic
def publish(*, actor: User, seller: Organization) -> StoreDesign:
    """The draft becomes what buyers see."""
    design = _editable(actor, seller)
    design.published_sections = copy.deepcopy(design.draft_sections)
    design.published_primary = design.primary_colour
    design.published_accent = design.accent_colour
    design.published_at = clock.now()
    saved = _saved(design)
    key = f"storefront:published-design:{seller.pk}"  # design_selectors.published_design_key
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    return saved


@transaction.atomic
def discard_draft(*, actor: User, seller: Organization) -> StoreDesign:
    """Throw away unpublished changes: the draft is the published design again."""
    design = _editable(actor, seller)
    design.draft_sections = copy.deepcopy(design.published_sections)
    if design.published_primary:
        design.primary_colour, design.accent_colour = design.published_primary, design.published_accent
    return _saved(design)
