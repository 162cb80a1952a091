"""Places: where a local business serves its customers (one shop, salon or office with an address and a position).

    create_place    a member with org.manage or catalog.manage of a local business adds a place: names and addresses
                    in English and/or Chinese, city and district, latitude/longitude, time zone, phone, opening
                    hours, service categories
    update_place    the same member changes any of those fields (only those given); `is_active` False takes the place
                    off the storefront and out of nearby search, True puts it back
    add_photos      JPEG, PNG or WebP photos (5 MB each, 12 in all); the first one becomes the cover
    remove_photo    takes one away (the cover follows the first photo left)

Every save goes through `_save`, which keeps `geo_cell` = geo.cell_of(latitude, longitude) in step: the nearby search
reads only the grid cells its circle touches. Bad input is a ValidationFailed naming its field
(`opening_hours.mon.0`, `latitude`, `photos.2`), raised before anything is written.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import Membership, Organization, User
from tradeloop.accounts.selectors import membership
from tradeloop.catalog.models import Category
from tradeloop.catalog.services import checked_photo
from tradeloop.core import clock
from tradeloop.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradeloop.o2o import geo
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import Place, PlacePhoto

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
CAPABILITIES = ("org.manage", "catalog.manage")
MAX_PHOTOS = 12
MAX_PERIODS = 4  # opening periods per day (e.g. lunch and dinner)
TEXT_LIMITS = {
    "name": 160,
    "name_zh": 160,
    "address": 240,
    "address_zh": 240,
    "city": 80,
    "city_zh": 80,
    "district": 80,
    "district_zh": 80,
    "phone": 40,
}
FIELDS = (*TEXT_LIMITS, "latitude", "longitude", "time_zone", "opening_hours", "categories", "is_active")
# the city and category lists of the local home (o2o.place_selectors), forgotten whenever a place is saved
LISTS_CACHE_KEYS = ("o2o:place-cities", "o2o:place-categories")
LISTS_CACHE_SECONDS = 600
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
_PHONE = re.compile(r"^[0-9+()\-\s]*$")


def max_photo_bytes() -> int:
    return int(getattr(settings, "TRADELOOP_O2O_PLACE_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


# --- who may --------------------------------------------------------------------------------------------------------


def managing_membership(actor: User, organization_id: int) -> Membership:
    """The actor's membership of a local business that lets them manage its places (another tenant: 404)."""
    found = membership(actor, organization_id)
    if found.organization.kind != Organization.Kind.LOCAL_BUSINESS:
        raise ValidationFailed(
            gettext("Only a local business has places."), field="organization", code=Code.NOT_LOCAL_BUSINESS
        )
    if not any(found.role.grants(capability) for capability in CAPABILITIES):
        raise PermissionDenied(
            gettext("Your role (%(role)s) does not allow managing places.") % {"role": found.role.code}
        )
    return found


def _locked_own(actor: User, place_id: int) -> Place:
    seller_id = Place.objects.filter(pk=place_id).values_list("seller_id", flat=True).first()
    if seller_id is None:
        raise NotFound(gettext("Place not found."), field="place")
    try:
        managing_membership(actor, seller_id)
    except NotFound as exc:
        raise NotFound(gettext("Place not found."), field="place") from exc
    return Place.objects.select_for_update().get(pk=place_id)


# --- checks ---------------------------------------------------------------------------------------------------------


def _text(value, *, field: str) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ValidationFailed(gettext("This text contains characters that are not allowed."), field=field)
    if len(text) > TEXT_LIMITS[field]:
        raise ValidationFailed(
            gettext("At most %(max)s characters, please.") % {"max": TEXT_LIMITS[field]}, field=field
        )
    return text


def _coordinate(value, *, field: str, limit: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise ValidationFailed(gettext("Enter a number in degrees."), field=field)
    if not -limit <= number <= limit:
        raise ValidationFailed(
            gettext("Enter a value from %(low)s to %(high)s.") % {"low": -limit, "high": limit}, field=field
        )
    return number


def latitude_of(value, field: str = "latitude") -> float:
    return _coordinate(value, field=field, limit=90)


def longitude_of(value, field: str = "longitude") -> float:
    return _coordinate(value, field=field, limit=180)


def time_zone_of(value) -> str:
    name = str(value or "").strip()
    if name not in available_timezones():
        raise ValidationFailed(gettext("Choose a time zone such as Asia/Shanghai."), field="time_zone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(gettext("Choose a time zone such as Asia/Shanghai."), field="time_zone") from exc
    return name


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _period(value, *, field: str) -> list[str]:
    if not isinstance(value, list | tuple) or len(value) != 2 or not all(isinstance(t, str) for t in value):
        raise ValidationFailed(gettext('Give a period as ["09:00", "21:00"].'), field=field)
    opens, closes = (t.strip() for t in value)
    if not (_CLOCK.match(opens) and _CLOCK.match(closes)) or opens == "24:00":
        raise ValidationFailed(gettext("Write times as HH:MM, from 00:00 to 24:00."), field=field)
    if opens == closes:
        raise ValidationFailed(gettext("A period must not open and close at the same time."), field=field)
    return [opens, closes]


def opening_hours_of(value) -> dict[str, list[list[str]]]:
    """{"mon": [["09:00", "21:00"]], ...}: known days, HH:MM periods; a period closing before it opens runs past
    midnight ("18:00"–"02:00"). A day left out (or with no periods) is closed."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed(
            gettext('Opening hours are a mapping such as {"mon": [["09:00", "21:00"]]}.'), field="opening_hours"
        )
    hours: dict[str, list[list[str]]] = {}
    for day, periods in value.items():
        where = f"opening_hours.{day}"
        if day not in DAYS:
            raise ValidationFailed(gettext("Days are mon, tue, wed, thu, fri, sat and sun."), field=where)
        if not isinstance(periods, list | tuple):
            raise ValidationFailed(gettext('Give a day a list of periods, e.g. [["09:00", "21:00"]].'), field=where)
        if len(periods) > MAX_PERIODS:
            raise ValidationFailed(gettext("At most %(n)s periods a day.") % {"n": MAX_PERIODS}, field=where)
        checked = sorted((_period(p, field=f"{where}.{i}") for i, p in enumerate(periods)), key=lambda p: p[0])
        _no_overlap(checked, field=where)
        if checked:
            hours[day] = checked
    return {day: hours[day] for day in DAYS if day in hours}


def _no_overlap(periods: list[list[str]], *, field: str) -> None:
    for (_, closes), (opens, _) in zip(periods, periods[1:], strict=False):
        if _minutes(opens) < _minutes(closes):
            raise ValidationFailed(gettext("The periods of a day overlap."), field=field)


def categories_of(values) -> list[Category]:
    """Categories by id or slug; an unknown one is a ValidationFailed on `categories.N`."""
    found: list[Category] = []
    for index, value in enumerate(values or ()):
        if isinstance(value, Category):
            found.append(value)
            continue
        lookup = {"pk": int(value)} if str(value).isdigit() else {"slug": str(value)}
        category = Category.objects.filter(**lookup).first()
        if category is None:
            raise ValidationFailed(gettext("There is no such category."), field=f"categories.{index}")
        found.append(category)
    return list(dict.fromkeys(found))


def _phone(value) -> str:
    phone = _text(value, field="phone")
    if not _PHONE.match(phone):
        raise ValidationFailed(gettext("Use digits, spaces, +, - and brackets only."), field="phone")
    return phone


def _cleaned(values: dict) -> dict:
    """The fields given, checked (a field left out is not touched)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(gettext("unknown field %(field)s") % {"field": repr(name)}, field=name)
    out: dict = {}
    for name in TEXT_LIMITS:
        if name in values:
            out[name] = _phone(values[name]) if name == "phone" else _text(values[name], field=name)
    if "latitude" in values:
        out["latitude"] = latitude_of(values["latitude"])
    if "longitude" in values:
        out["longitude"] = longitude_of(values["longitude"])
    if "time_zone" in values:
        out["time_zone"] = time_zone_of(values["time_zone"])
    if "opening_hours" in values:
        out["opening_hours"] = opening_hours_of(values["opening_hours"])
    if "categories" in values:
        out["categories"] = categories_of(values["categories"])
    if "is_active" in values:
        out["is_active"] = bool(values["is_active"])
    return out


def _require_whole(place: Place) -> None:
    if not (place.name or place.name_zh):
        raise ValidationFailed(gettext("Give the place a name (in either language)."), field="name")
    if not place.city:
        raise ValidationFailed(gettext("Give the city (in English)."), field="city")


def _save(place: Place, fields: dict) -> Place:
    categories = fields.pop("categories", None)
    for name, value in fields.items():
        setattr(place, name, value)
    _require_whole(place)
    place.geo_cell = geo.cell_of(place.latitude, place.longitude)
    place.save()
    if categories is not None:
        place.categories.set(categories)
    transaction.on_commit(lambda: cache.delete_many(LISTS_CACHE_KEYS))
    return place


# --- writes ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_place(*, actor: User, organization_id: int, **values) -> Place:
    """A new place of the actor's local business; latitude, longitude and city are required."""
    seller = managing_membership(actor, organization_id).organization
    for required in ("latitude", "longitude", "city"):
        if values.get(required) in (None, ""):
            raise ValidationFailed(gettext("This field is required."), field=required)
    fields = _cleaned(values)
    fields.setdefault("time_zone", settings.TIME_ZONE)
    place = Place(seller=seller, currency=seller.currency)
    return _save(place, fields)


@transaction.atomic
def update_place(*, actor: User, place_id: int, **changes) -> Place:
    """Change the fields given; another business's place answers 404."""
    fields = _cleaned(changes)
    place = _locked_own(actor, place_id)
    return _save(place, fields)


def deactivate(*, actor: User, place_id: int) -> Place:
    return update_place(actor=actor, place_id=place_id, is_active=False)


def _checked_photo(index: int, upload: UploadedFile) -> str:
    return checked_photo(
        upload,
        field=f"photos.{index}",
        max_bytes=max_photo_bytes(),
        too_large=Code.PLACE_PHOTO_TOO_LARGE,
        wrong_type=Code.PLACE_PHOTO_TYPE,
    )


def _refresh_cover(place: Place) -> None:
    first = place.photos.order_by("position", "id").first()
    cover = first.image.name if first else ""
    if place.cover != cover:
        place.cover = cover
        place.save(update_fields=["cover"])


@transaction.atomic
def add_photos(*, actor: User, place_id: int, photos, alt: str = "") -> list[PlacePhoto]:
    place = _locked_own(actor, place_id)
    photos = list(photos or ())
    if not photos:
        raise ValidationFailed(gettext("Choose at least one photo."), field="photos")
    held = place.photos.count()
    if held + len(photos) > MAX_PHOTOS:
        raise ValidationFailed(
            gettext("A place has at most %(n)s photos.") % {"n": MAX_PHOTOS},
            field="photos",
            code=Code.TOO_MANY_PLACE_PHOTOS,
        )
    extensions = [_checked_photo(i, p) for i, p in enumerate(photos)]
    alt = str(alt or "").replace("\x00", "").strip()[:200]
    added = []
    for offset, (upload, ext) in enumerate(zip(photos, extensions, strict=True)):
        photo = PlacePhoto(place=place, alt=alt, position=held + offset)
        photo.image.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        photo.save()
        added.append(photo)
    _refresh_cover(place)
    return added


@transaction.atomic
def remove_photo(*, actor: User, place_id: int, photo_id: int) -> None:
    place = _locked_own(actor, place_id)
    photo = place.photos.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound(gettext("Photo not found."), field="photo")
    photo.image.delete(save=False)
    photo.delete()
    _refresh_cover(place)


# --- opening hours, read in the place's own time zone ------------------------------------------------------------


@dataclass(frozen=True)
class DayHours:
    day: str  # mon … sun
    periods: list[list[str]]
    today: bool


def local_now(place: Place, at: datetime | None = None) -> datetime:
    return (at or clock.now()).astimezone(ZoneInfo(place.time_zone))


def _covers(periods: list[list[str]], minute: int, *, spill: bool) -> bool:
    """Whether a minute of the day falls in one of the periods (`spill`: only the part past midnight counts)."""
    for opens, closes in periods:
        start, end = _minutes(opens), _minutes(closes)
        if end <= start:  # runs past midnight
            if (spill and minute < end) or (not spill and minute >= start):
                return True
        elif not spill and start <= minute < end:
            return True
    return False


def is_open(place: Place, at: datetime | None = None) -> bool:
    """Open at this moment in the place's time zone (a period past midnight counts on the next morning too)."""
    now = local_now(place, at)
    hours = place.opening_hours or {}
    minute = now.hour * 60 + now.minute
    today, yesterday = DAYS[now.weekday()], DAYS[(now - timedelta(days=1)).weekday()]
    return _covers(hours.get(today, []), minute, spill=False) or _covers(hours.get(yesterday, []), minute, spill=True)


def next_change(place: Place, at: datetime | None = None) -> datetime:
    """The next moment the place's page changes by itself: a period of today's opens or closes, one of yesterday's
    that ran past midnight closes, or the day ends (the week table marks today)."""
    now = local_now(place, at)
    minute = now.hour * 60 + now.minute
    hours = place.opening_hours or {}
    today, yesterday = DAYS[now.weekday()], DAYS[(now - timedelta(days=1)).weekday()]
    boundaries = [_minutes(opens) for opens, _closes in hours.get(today, [])]
    boundaries += [_minutes(closes) for opens, closes in hours.get(today, []) if _minutes(closes) > _minutes(opens)]
    boundaries += [
        _minutes(closes) for opens, closes in hours.get(yesterday, []) if _minutes(closes) <= _minutes(opens)
    ]
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=now.tzinfo)
    upcoming = [m for m in boundaries if minute < m < 24 * 60]
    if not upcoming:
        return midnight
    first = min(upcoming)
    return datetime.combine(now.date(), time(first // 60, first % 60), tzinfo=now.tzinfo)


def week(place: Place, at: datetime | None = None) -> list[DayHours]:
    """Monday to Sunday with their periods, today (in the place's time zone) marked."""
    today = DAYS[local_now(place, at).weekday()]
    hours = place.opening_hours or {}
    return [DayHours(day, hours.get(day, []), day == today) for day in DAYS]


def as_time(text: str) -> time:
    return time(0, 0) if text == "24:00" else time.fromisoformat(text)
