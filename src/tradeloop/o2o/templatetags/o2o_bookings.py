"""Booking bits for templates: a place's bookable services (`{% place_services place %}`), days and times on the
place's clock in the active language, and the active language's text of a bilingual field."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_skeleton
from django import template
from django.conf import settings
from django.utils import translation

from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o.models import Booking, Place

register = template.Library()


@register.inclusion_tag("o2o/_place_services_list.html", takes_context=True)
def place_services(context, place: Place) -> dict:
    """The place's active services with a Book button (two queries, whatever their number)."""
    return {
        "place": place,
        "services": selectors.services_at([place]).get(place.pk, []),
        "request": context.get("request"),
    }


@register.filter
def localized(obj, name: str) -> str:
    return obj.localized(name) if obj is not None else ""


def _locale() -> str:
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


@register.filter
def day_label(day: date | datetime | None, skeleton: str = "MMMEd") -> str:
    """A day in the active language's own order ("Fri, Dec 4" / "12月4日周五"); CLDR skeletons, or the single
    fields EEE (weekday), MMM (month) and d (day of the month)."""
    if day is None:
        return ""
    if skeleton in ("EEE", "MMM", "d"):
        return format_date(day, skeleton, locale=_locale())
    return format_skeleton(skeleton, day, locale=_locale())


@register.filter
def place_time(moment: datetime | None, place: Place) -> str:
    """ "14:30" on the place's clock (Django's time filter would show the site's time zone)."""
    return moment.astimezone(selectors.zone_of(place)).strftime("%H:%M") if moment else ""


@register.filter
def place_moment(moment: datetime | None, place: Place) -> str:
    """ "Fri, Dec 4 14:30" on the place's clock."""
    if moment is None:
        return ""
    local = moment.astimezone(selectors.zone_of(place))
    return f"{day_label(local.date())} {local:%H:%M}"


@register.simple_tag
def booking_when(booking: Booking) -> str:
    """ "Sat, Dec 5, 2026 14:30–15:30" on the place's clock."""
    zone = selectors.zone_of(booking.place)
    starts, ends = booking.starts_at.astimezone(zone), booking.ends_at.astimezone(zone)
    return f"{day_label(starts.date(), 'yMMMEd')} {starts:%H:%M}–{ends:%H:%M}"
