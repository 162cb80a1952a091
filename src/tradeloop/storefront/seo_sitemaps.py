"""robots.txt and the sitemap: an index of pages per kind of page (products, listings, deals, places, services,
categories, stores), each page one primary-key range of at most TRADELOOP_SITEMAP_PAGE_SIZE rows.

A page reads its rows with `pk >= lo AND pk < hi` on the primary key (no OFFSET, whatever the catalogue's size);
the index is one grouped query per kind (cached for a while), so it lists only ranges that have rows, each with
its newest `updated_at` as lastmod. Every URL names its English and Chinese addresses as xhtml:link alternates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.cache import cache
from django.db.models import ExpressionWrapper, F, IntegerField, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from tradeloop.accounts.models import Organization
from tradeloop.catalog import selectors as catalog
from tradeloop.catalog.models import Product
from tradeloop.o2o.models import Deal, Place, Service
from tradeloop.storefront import seo

INDEX_SECONDS = 15 * 60
XML = "application/xml; charset=utf-8"


def page_size() -> int:
    return max(1, int(getattr(settings, "TRADELOOP_SITEMAP_PAGE_SIZE", 10_000)))


@dataclass(frozen=True)
class Section:
    name: str
    rows: Callable[[], QuerySet]
    fields: tuple[str, ...]  # read per row, besides pk
    lastmod: str | None  # the field that says when a row last changed
    path: Callable[[dict], str]


def _products(kind: str) -> Callable[[], QuerySet]:
    return lambda: Product.objects.published().filter(kind=kind)


SECTIONS = {
    s.name: s
    for s in (
        Section(
            "products",
            _products(Product.Kind.PHYSICAL),
            ("slug", "updated_at"),
            "updated_at",
            lambda r: reverse("storefront:product", args=[r["pk"], r["slug"]]),
        ),
        Section(
            "listings",
            _products(Product.Kind.LISTING),
            ("slug", "updated_at"),
            "updated_at",
            lambda r: reverse("storefront:product", args=[r["pk"], r["slug"]]),
        ),
        Section(
            "deals",
            lambda: Deal.objects.filter(state__in=(Deal.State.LIVE, Deal.State.ENDED), product__seller__is_active=True),
            ("product__slug", "product__updated_at"),
            "product__updated_at",
            lambda r: seo.deal_path(r["pk"], r["product__slug"]),
        ),
        Section(
            "places",
            lambda: Place.objects.filter(is_active=True, seller__is_active=True),
            ("name", "name_zh"),
            None,
            lambda r: seo.place_path(r["pk"], r["name"], r["name_zh"]),
        ),
        Section(
            "services",
            lambda: Service.objects.filter(
                is_active=True, product__status=Product.Status.PUBLISHED, product__seller__is_active=True
            ),
            ("product__slug", "product__updated_at"),
            "product__updated_at",
            lambda r: seo.service_path(r["pk"], r["product__slug"]),
        ),
        Section(
            "stores",
            lambda: Organization.objects.filter(is_active=True, kind__in=Organization.SELLING_KINDS),
            ("slug",),
            None,
            lambda r: reverse("storefront:store", args=[r["slug"]]),
        ),
    )
}


def buckets(section: Section, size: int) -> list[tuple[int, datetime | None]]:
    """The primary-key ranges of `size` that hold rows, each with its newest change (one grouped query)."""
    qs = section.rows().annotate(bucket=ExpressionWrapper(F("pk") / size, output_field=IntegerField()))
    qs = qs.values("bucket").order_by("bucket")
    if section.lastmod:
        return [(row["bucket"], row["last"]) for row in qs.annotate(last=Max(section.lastmod))]
    return [(row["bucket"], None) for row in qs.annotate(n=Max("pk"))]


def index_entries() -> list[tuple[str, datetime | None]]:
    size = page_size()
    key = f"seo:sitemap-index:{size}"
    entries = cache.get(key)
    if entries is None:
        entries = [(reverse("storefront:sitemap_section", args=["categories", 0]), None)]
        for section in SECTIONS.values():
            entries += [
                (reverse("storefront:sitemap_section", args=[section.name, bucket]), last)
                for bucket, last in buckets(section, size)
            ]
        cache.set(key, entries, INDEX_SECONDS)
    return entries


def _lastmod(when: datetime | None) -> str:
    return f"<lastmod>{when.isoformat(timespec='seconds')}</lastmod>" if when else ""


def _url_entry(path: str, lastmod: datetime | None = None) -> str:
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang={quoteattr(h)} href={quoteattr(url)}/>'
        for h, url in seo.language_urls(path)
    )
    return f"<url><loc>{escape(seo.absolute(path))}</loc>{_lastmod(lastmod)}{links}</url>"


def section_urls(name: str, page: int) -> Iterable[tuple[str, datetime | None]]:
    if name == "categories":
        if page != 0:
            raise Http404("no such sitemap page")
        return [(reverse("storefront:category", args=[c.slug]), None) for c in catalog.categories()]
    section = SECTIONS.get(name)
    if section is None:
        raise Http404("no such sitemap")
    size = page_size()
    rows = (
        section.rows()
        .filter(pk__gte=page * size, pk__lt=(page + 1) * size)
        .order_by("pk")
        .values("pk", *section.fields)
    )
    return [(section.path(row), row.get(section.lastmod) if section.lastmod else None) for row in rows]


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    body = "".join(
        f"<sitemap><loc>{escape(seo.absolute(path))}</loc>{_lastmod(last)}</sitemap>" for path, last in index_entries()
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>\n'
    )
    return HttpResponse(xml, content_type=XML)


@require_GET
def sitemap_section(request: HttpRequest, name: str, page: int) -> HttpResponse:
    body = "".join(_url_entry(path, last) for path, last in section_urls(name, page))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        f"{body}</urlset>\n"
    )
    return HttpResponse(xml, content_type=XML)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /", *[f"Disallow: {path}" for path in seo.DISALLOWED]]
    lines += ["", f"Sitemap: {seo.absolute(reverse('storefront:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
