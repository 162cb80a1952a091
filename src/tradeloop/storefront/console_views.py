"""Seller console pages for store decoration (capability org.manage)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from tradeloop.console.access import Console, console_page

SECTION = "store_design:edit"


@console_page("org.manage", section=SECTION)
def design(request: HttpRequest, console: Console) -> HttpResponse:
    return console.render(request, "console/dashboard.html", {})
