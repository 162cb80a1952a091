"""A booking as an iCalendar file (RFC 5545): one VEVENT with UID, DTSTAMP, DTSTART/DTEND in UTC, SUMMARY,
LOCATION. Text is escaped and long lines folded at 75 octets, as calendars expect."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings

from tradeloop.core import clock
from tradeloop.o2o.models import Booking


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets go on as continuation lines (CRLF + a space), never splitting a character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def _host() -> str:
    base = getattr(settings, "TRADELOOP_BASE_URL", "http://127.0.0.1:8000")
    return base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "tradeloop"


def ics_for(booking: Booking) -> str:
    place = booking.place
    location = ", ".join(
        part for part in (place.display_name, place.localized("address"), place.localized("city")) if part
    )
    summary = f"{booking.service.product.display_title} – {place.display_name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tradeloop//Bookings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:booking-{booking.pk}@{_host()}",
        f"DTSTAMP:{_utc(clock.now())}",
        f"DTSTART:{_utc(booking.starts_at)}",
        f"DTEND:{_utc(booking.ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(str(booking.staff))}",
        "STATUS:"
        + ("CANCELLED" if booking.state not in (*Booking.HOLDS_SLOT, Booking.State.COMPLETED) else "CONFIRMED"),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
