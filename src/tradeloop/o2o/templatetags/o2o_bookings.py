"""Booking bits for templates: a place's bookable services (`{% place_services place %}`), times in the place's
time zone, and the active language's text of a bilingual field."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats

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


@register.filter
def in_zone(moment: datetime | None, place: Place) -> datetime | None:
    """The moment on the place's clock (formatting then shows the place's local time)."""
    return moment.astimezone(selectors.zone_of(place)) if moment else None


@register.simple_tag
def booking_when(booking: Booking) -> str:
    """ "Sat 5 Dec 2026, 14:30–15:30" on the place's clock."""
    starts = booking.starts_at.astimezone(selectors.zone_of(booking.place))
    ends = booking.ends_at.astimezone(selectors.zone_of(booking.place))
    day = formats.date_format(starts, "D j M Y")
    return f"{day}, {starts:%H:%M}–{ends:%H:%M}"


@register.filter
def place_time(moment: datetime | None, place: Place) -> str:
    """"14:30" on the place's clock (Django's time filter would show the site's time zone)."""
    return moment.astimezone(selectors.zone_of(place)).strftime("%H:%M") if moment else ""


@register.filter
def place_day(moment: datetime | None, place: Place) -> str:
    return formats.date_format(moment.astimezone(selectors.zone_of(place)), "D j M") if moment else ""
