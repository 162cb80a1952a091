"""What search engines and link previews read: language URLs, canonical and hreflang links, Open Graph and Twitter
tags, schema.org JSON-LD, robots.txt and the sitemap.

Every page's SEO bits are built from the objects its view already put in the template context (no extra queries):
`head_for(context)` looks at the page's route name and the product, deal, place, category or store it shows.
Absolute links start with TRADELOOP_BASE_URL, the same site address the e-mails use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext

LANG_PARAM = "lang"
SITE_NAME = "Tradeloop"
# hreflang code → the code Django activates (and the ?lang= value); the first is the site's default language
HREFLANGS = {"en": "en", "zh-Hans": "zh-hans"}
OG_LOCALES = {"en": "en_US", "zh-hans": "zh_CN"}
# query parameters a canonical URL keeps (pages of a list, a search); everything else (filters, utm_*, …) goes
KEPT_PARAMS = ("q", "page", "cursor")
DESCRIPTION_CHARS = 160

# the pages a crawler may index, by route name: only these carry canonical, hreflang and Open Graph tags
INDEXABLE = {
    "storefront:home",
    "storefront:products",
    "storefront:category",
    "storefront:product",
    "storefront:store",
    "o2o:local",
    "o2o:place",
    "o2o:deal",
    "o2o:service",
    "storefront:deal",
    "storefront:place",
    "storefront:service",
    "c2c:profile",
    "search:search",
    "search:results",
}
# paths no crawler should read (robots.txt); account and money pages answer only their owner anyway
DISALLOWED = (
    "/console/",
    "/admin/",
    "/api/",
    "/cart/",
    "/checkout/",
    "/accounts/",
    "/account/",
    "/login/",
    "/logout/",
    "/signup/",
    "/invitations/",
    "/tokens/",
    "/organizations/",
    "/company/",
    "/companies/",
    "/orders/",
    "/returns/",
    "/pay/",
    "/payments/",
    "/invoices/",
    "/quick-order/",
    "/rfqs/",
    "/quotes/",
    "/messages/",
    "/offers/",
    "/disputes/",
    "/listings/",
    "/watching/",
    "/sell/",
    "/i18n/",
    "/local/vouchers/",
    "/local/bookings/",
    "/local/requests/",
)


def site_url() -> str:
    """The site's public address (no trailing slash), as the e-mails write it."""
    return getattr(settings, "TRADELOOP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def absolute(path_or_url: str) -> str:
    if not path_or_url or path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return site_url() + (path_or_url if path_or_url.startswith("/") else "/" + path_or_url)


def language_from_param(value: str | None) -> str | None:
    """`?lang=zh-hans`, `zh-Hans`, `zh_hans` or `en` → the Django language code; anything else → None."""
    if not value:
        return None
    wanted = value.strip().lower().replace("_", "-")
    return wanted if wanted in HREFLANGS.values() else None


class LanguageParamMiddleware:
    """`?lang=en` / `?lang=zh-hans` shows this one request in that language (a crawlable URL per language).

    Sits after LocaleMiddleware: the cookie and Accept-Language still choose for everyone else, and the language
    switcher keeps setting the cookie. A page whose language came from the cookie varies on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        code = language_from_param(request.GET.get(LANG_PARAM))
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code:
            translation.activate(code)  # LocaleMiddleware's Content-Language reads the active language after us
        else:
            patch_vary_headers(response, ("Cookie",))
        return response


# --- links ----------------------------------------------------------------------------------------------------------


def canonical_url(request: HttpRequest, path: str | None = None, language: str | None = None) -> str:
    """The page's one address: its path, the list page it is on, and ?lang= for the non-default language."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    params = [(k, request.GET[k]) for k in KEPT_PARAMS if request.GET.get(k)]
    if language != settings.LANGUAGE_CODE and language in HREFLANGS.values():
        params.append((LANG_PARAM, language))
    return _url(path or request.path, params)


def alternates(request: HttpRequest, path: str | None = None) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for each language and x-default (the address that follows the visitor's choice)."""
    params = [(k, request.GET[k]) for k in KEPT_PARAMS if request.GET.get(k)]
    path = path or request.path
    links = [(hreflang, _url(path, [*params, (LANG_PARAM, code)])) for hreflang, code in HREFLANGS.items()]
    return [*links, ("x-default", _url(path, params))]


def _url(path: str, params: list[tuple[str, str]]) -> str:
    return absolute(path) + (f"?{urlencode(params)}" if params else "")


def language_urls(path: str) -> list[tuple[str, str]]:
    """The sitemap's alternates of a clean path: one per language, then x-default."""
    return [(h, _url(path, [(LANG_PARAM, code)])) for h, code in HREFLANGS.items()] + [("x-default", absolute(path))]


# --- clean URLs of the local pages ---------------------------------------------------------------------------------
# A deal, a service and a place are also served at /local/<kind>/<id>/<name>/ (storefront.seo_views): those are the
# addresses canonical links and the sitemap name; the id-only addresses keep working and point here.

# words that are already sub-pages of /local/<kind>/<id>/ (the buy and book forms), never a name
RESERVED_SLUGS = {"buy", "book", "refund", "cancel", "pay", "edit"}


def clean_slug(slug: str) -> str:
    return "" if not slug or slug in RESERVED_SLUGS else slug


def place_slug(name: str, name_zh: str = "") -> str:
    return clean_slug(slugify(name) or slugify(name_zh, allow_unicode=True))


def deal_path(deal_id: int, slug: str) -> str:
    slug = clean_slug(slug)
    return reverse("storefront:deal", args=[deal_id, slug]) if slug else reverse("o2o:deal", args=[deal_id])


def service_path(service_id: int, slug: str) -> str:
    slug = clean_slug(slug)
    return reverse("storefront:service", args=[service_id, slug]) if slug else reverse("o2o:service", args=[service_id])


def place_path(place_id: int, name: str, name_zh: str = "") -> str:
    slug = place_slug(name, name_zh)
    return reverse("storefront:place", args=[place_id, slug]) if slug else reverse("o2o:place", args=[place_id])


# --- the head -------------------------------------------------------------------------------------------------------


@dataclass
class Head:
    """Everything the base template writes into <head> for search engines and link previews."""

    description: str = ""
    indexable: bool = False
    canonical: str = ""
    alternates: list = field(default_factory=list)
    og: list = field(default_factory=list)  # (property, content)
    twitter: list = field(default_factory=list)  # (name, content)
    jsonld: list = field(default_factory=list)  # dicts

    @property
    def jsonld_scripts(self) -> list[SafeString]:
        return [json_ld(data) for data in self.jsonld]


# `</script>`, `<!--` and `&` cannot break out of, or change, a <script> block (as Django's json_script does)
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - escaped above, for the inside of <script type="application/ld+json">


def plain(html: str, chars: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(strip_tags(html or "").split())
    return Truncator(text).chars(chars)


def head_for(context) -> Head:
    """The SEO head of the page being rendered, from its template context (reads no database rows)."""
    request = context.get("request")
    language = translation.get_language() or settings.LANGUAGE_CODE
    head = Head(description=gettext("Buy from merchants, suppliers, local shops and people near you."))
    match = getattr(request, "resolver_match", None) if request is not None else None
    view_name = match.view_name if match else ""
    if request is None or view_name not in INDEXABLE or getattr(request, "method", "GET") != "GET":
        return head
    head.indexable = True
    page = _PAGES.get(view_name, _generic)(context, request)
    head.canonical = canonical_url(request, page.get("path"), language=language)
    head.alternates = alternates(request, page.get("path"))
    title = page.get("title") or SITE_NAME
    head.description = page.get("description") or head.description
    image = absolute(page.get("image") or "")
    head.og = [
        ("og:site_name", SITE_NAME),
        ("og:type", page.get("og_type", "website")),
        ("og:title", title),
        ("og:description", head.description),
        ("og:url", head.canonical),
        ("og:locale", OG_LOCALES.get(language, "en_US")),
        *[("og:locale:alternate", loc) for code, loc in OG_LOCALES.items() if code != language],
    ]
    if image:
        head.og.append(("og:image", image))
    head.og += page.get("og_extra", [])
    head.twitter = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", title),
        ("twitter:description", head.description),
    ]
    if image:
        head.twitter.append(("twitter:image", image))
    head.jsonld = page.get("jsonld", [])
    return head


def _generic(context, request) -> dict:
    return {}


def _home(context, request) -> dict:
    home = absolute("/")
    return {
        "title": SITE_NAME,
        "jsonld": [
            {"@context": "https://schema.org", "@type": "Organization", "name": SITE_NAME, "url": home},
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": SITE_NAME,
                "url": home,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {"@type": "EntryPoint", "urlTemplate": search_url_template()},
                    "query-input": "required name=search_term_string",
                },
            },
        ],
    }


def search_url_template() -> str:
    """Where the site searches: the search page once it is there, else the product list's ?q=."""
    for name in ("search:search", "search:results", "storefront:products"):
        try:
            return absolute(reverse(name)) + "?q={search_term_string}"
        except NoReverseMatch:
            continue
    return absolute("/products/") + "?q={search_term_string}"


def _breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(url)}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def _category_trail(categories) -> list[tuple[str, str]]:
    return [(c.label, reverse("storefront:category", args=[c.slug])) for c in categories]


def _category(context, request) -> dict:
    category = context.get("category")
    if category is None:
        return {}
    trail = [(gettext("Home"), "/"), *_category_trail([*context.get("ancestors", []), category])]
    return {
        "title": category.label,
        "description": gettext("%(name)s on Tradeloop: compare prices, sellers and ratings.")
        % {"name": category.label},
        "jsonld": [_breadcrumbs(trail)],
    }


def _rating(count: int, average) -> dict | None:
    if not count:
        return None
    return {
        "@type": "AggregateRating",
        "ratingValue": str(Decimal(average).quantize(Decimal("0.1"))),
        "reviewCount": count,
    }


def _product_jsonld(product, *, url: str, price, currency: str, available: bool, images: list[str], sku: str = ""):
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.display_title,
        "url": url,
    }
    if description := plain(product.display_description, 5000):
        data["description"] = description
    if images:
        data["image"] = images
    if sku:
        data["sku"] = sku
    if getattr(product, "category", None) is not None:
        data["category"] = product.category.label
    if price is not None:
        data["offers"] = {
            "@type": "Offer",
            "url": url,
            "price": str(Decimal(price).quantize(Decimal("0.01"))),
            "priceCurrency": currency,
            "availability": "https://schema.org/InStock" if available else "https://schema.org/OutOfStock",
            "itemCondition": "https://schema.org/NewCondition"
            if getattr(product, "condition", "new") == "new"
            else "https://schema.org/UsedCondition",
            "seller": {"@type": "Organization", "name": product.seller.name},
        }
    if rating := _rating(product.rating_count, product.rating_avg):
        data["aggregateRating"] = rating
    return data


def _image_urls(images) -> list[str]:
    urls = []
    for image in images or []:
        try:
            urls.append(absolute(image.image.url))
        except ValueError:  # a row without a file
            continue
    return urls


def _cover(product) -> str:
    return default_storage.url(product.cover) if getattr(product, "cover", "") else ""


def _product(context, request) -> dict:
    product = context.get("product")
    if product is None:
        return {}
    variant = context.get("variant")
    images = _image_urls(context.get("images"))
    published = product.status == product.Status.PUBLISHED
    available = published and (variant.stock > 0 if variant is not None else product.in_stock)
    price, currency = (
        (variant.price, variant.currency) if variant is not None else (product.price_from, product.currency)
    )
    url = absolute(request.path)
    trail = [(gettext("Home"), "/"), *_category_trail(context.get("ancestors", []))]
    trail.append((product.display_title, request.path))
    return {
        "title": product.display_title,
        "description": plain(product.display_description) or product.display_title,
        "image": images[0] if images else _cover(product),
        "og_type": "product",
        "og_extra": _price_tags(price, currency, available),
        "jsonld": [
            _product_jsonld(
                product,
                url=url,
                price=price,
                currency=currency,
                available=available,
                images=images,
                sku=getattr(variant, "sku", ""),
            ),
            _breadcrumbs(trail),
        ],
    }


def _price_tags(price, currency: str, available: bool) -> list[tuple[str, str]]:
    if price is None:
        return []
    return [
        ("product:price:amount", str(Decimal(price).quantize(Decimal("0.01")))),
        ("product:price:currency", currency),
        ("product:availability", "in stock" if available else "out of stock"),
    ]


def _deal(context, request) -> dict:
    deal, product = context.get("deal"), context.get("product")
    if deal is None or product is None:
        return {}
    price = context.get("price")
    amount = getattr(price, "amount", price)
    currency = getattr(price, "currency", product.currency)
    available = bool(context.get("on_sale")) and context.get("left") != 0
    images = _image_urls(context.get("images"))
    path = deal_path(deal.pk, product.slug)
    data = _product_jsonld(
        product, url=absolute(path), price=amount, currency=currency, available=available, images=images
    )
    if deal.sale_ends_at and "offers" in data:
        data["offers"]["priceValidUntil"] = deal.sale_ends_at.date().isoformat()
    places = context.get("places") or []
    description = plain(product.display_description) or " · ".join(
        [product.display_title, *[p.display_name for p in places[:3]]]
    )
    return {
        "path": path,
        "title": product.display_title,
        "description": description,
        "image": images[0] if images else _cover(product),
        "og_type": "product",
        "og_extra": _price_tags(amount, currency, available),
        "jsonld": [data],
    }


def _service(context, request) -> dict:
    product = context.get("product")
    if product is None:
        return {}
    price = context.get("price")
    amount, currency = getattr(price, "amount", price), getattr(price, "currency", product.currency)
    place = context.get("place")
    title = product.display_title + (f" · {place.display_name}" if place is not None else "")
    service = context.get("service")
    path = service_path(service.pk, product.slug) if service is not None else request.path
    url = absolute(path)
    return {
        "path": path,
        "title": title,
        "description": plain(product.display_description) or title,
        "image": _cover(product),
        "og_type": "product",
        "jsonld": [_product_jsonld(product, url=url, price=amount, currency=currency, available=True, images=[])],
    }


WEEKDAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def _place(context, request) -> dict:
    place = context.get("place")
    if place is None:
        return {}
    hours = []
    for day, periods in (place.opening_hours or {}).items():
        for period in periods or []:
            if day in WEEKDAYS and len(period) == 2:
                hours.append(
                    {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": f"https://schema.org/{WEEKDAYS[day]}",
                        "opens": period[0],
                        "closes": "23:59" if period[1] == "24:00" else period[1],
                    }
                )
    path = place_path(place.pk, place.name, place.name_zh)
    photos = _image_urls(context.get("photos"))
    image = photos[0] if photos else (absolute(default_storage.url(place.cover)) if place.cover else "")
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": place.display_name,
        "url": absolute(path),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.localized("address"),
            "addressLocality": place.localized("city"),
            "addressRegion": place.localized("district"),
            "addressCountry": "CN",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude},
    }
    if hours:
        data["openingHoursSpecification"] = hours
    if place.phone:
        data["telephone"] = place.phone
    if image:
        data["image"] = image
    if rating := _rating(place.rating_count, place.rating_avg):
        data["aggregateRating"] = rating
    address = ", ".join(
        p for p in (place.localized("address"), place.localized("district"), place.localized("city")) if p
    )
    return {
        "path": path,
        "title": place.display_name,
        "description": plain(f"{place.display_name} · {address}"),
        "image": image,
        "og_type": "business.business",
        "jsonld": [data],
    }


def _store(context, request) -> dict:
    store = context.get("store")
    if store is None:
        return {}
    return {
        "title": store.name,
        "description": plain(getattr(store, "description", "")) or store.name,
        "og_type": "profile",
    }


_PAGES = {
    "storefront:home": _home,
    "storefront:category": _category,
    "storefront:product": _product,
    "storefront:store": _store,
    "o2o:deal": _deal,
    "storefront:deal": _deal,
    "o2o:place": _place,
    "storefront:place": _place,
    "o2o:service": _service,
    "storefront:service": _service,
}
