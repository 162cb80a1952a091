"""One search across products, second-hand listings, local deals, services and places.

    1. the query is normalised like the documents (search.normalise)
    2. an unknown English word is corrected against the vocabulary: edit distance ≤ 1 (words of up to 5 letters)
       or ≤ 2 (longer); on PostgreSQL the candidates come from a trigram index, on SQLite from the words of about
       the same length with the same first letter; the page then says "Showing results for …"
    3. the database matches: all the terms (FTS5 MATCH on SQLite, tsvector @@ on PostgreSQL), or any of them when
       all of them find nothing; filters are applied in the same query
    4. a filtered search looks through the SCAN newest text matches only, so a narrow filter over a common word
       costs the same at any catalogue size (an older match that only the filter would keep is not found)
    5. at most CANDIDATES matches are read (the most recently indexed first): ranking (search.ranking), facet counts,
       sorting and the cursor work on them in Python, the same way on both databases. A query with more matches
       says so (`total_capped`): its total and facet counts are those of the first CANDIDATES.

Two of the same query give the same order; the cursor carries the last result's sort key, so pages do not
overlap or skip while the index is unchanged.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.catalog.selectors import categories
from tradeloop.core.errors import ValidationFailed
from tradeloop.search.models import SearchDocument, SearchTerm
from tradeloop.search.normalise import Word, words
from tradeloop.search.ranking import relevance

CANDIDATES = 1000
SCAN = 10 * CANDIDATES  # text matches a filtered search looks through, newest first
MAX_TERMS = 8
MAX_QUERY = 200
MAX_CORRECTIONS = 3
DEFAULT_LIMIT = 24
MAX_LIMIT = 100
DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 50.0
EARTH_RADIUS_KM = 6371.0088
KINDS = ("physical", "listing", "deal", "service", "place")
KIND_LABELS = {
    "physical": _("Products"),
    "listing": _("Second-hand"),
    "deal": _("Local deals"),
    "service": _("Services"),
    "place": _("Places"),
}
LEVEL_LABELS = {"top": _("Top seller"), "good": _("Good seller"), "new": _("New seller"), "below": _("Below standard")}
SORTS = ("relevance", "price_asc", "price_desc", "newest", "rating", "sales", "distance")
SORT_LABELS = {
    "relevance": _("Best match"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
    "newest": _("Newest"),
    "rating": _("Top rated"),
    "sales": _("Best selling"),
    "distance": _("Nearest"),
}
# price buckets (in the currency's units): (low, high) with high None for "and above"
PRICE_BUCKETS = [
    (None, Decimal(50)),
    (Decimal(50), Decimal(100)),
    (Decimal(100), Decimal(200)),
    (Decimal(200), Decimal(500)),
    (Decimal(500), Decimal(1000)),
    (Decimal(1000), None),
]
RATING_STEPS = (4, 3)
DISTANCE_STEPS = (1, 3, 5, 10)
# what ranking, facets and sorting read from every candidate (kept short: a thousand rows are read per search)
COLUMNS = (
    "id",
    "source",
    "object_id",
    "kind",
    "title_terms",
    "category_path",
    "price",
    "seller_level",
    "seller_trust",
    "rating",
    "rating_count",
    "sold_count",
    "in_stock",
    "latitude",
    "longitude",
    "created_at",
)
# what the page shows, read for its results only
DISPLAY = ("title", "title_zh", "url", "cover", "currency", "seller_id", "seller_name", "city", "category_id")


@dataclass
class SearchQuery:
    q: str = ""
    kinds: tuple[str, ...] = ()
    category: str = ""  # a category slug (its subtree)
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    rating_min: Decimal | None = None
    in_stock: bool = False
    seller_level: str = ""
    near: tuple[float, float] | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    sort: str = "relevance"
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(slots=True)
class Hit:
    id: int
    source: str
    object_id: int
    kind: str
    title_terms: str
    category_path: str
    price: float | None
    seller_level: str
    seller_trust: float
    rating: float
    rating_count: int
    sold_count: int
    in_stock: bool
    latitude: float | None
    longitude: float | None
    created_at: datetime | str
    score: float = 0.0
    distance_km: float | None = None
    title: str = ""
    title_zh: str = ""
    url: str = ""
    cover: str = ""
    currency: str = "CNY"
    seller_id: int | None = None
    seller_name: str = ""
    city: str = ""
    category_id: int | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    params: dict = field(default_factory=dict)  # the filter values that pick this value


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit]
    total: int
    total_capped: bool
    corrected: str | None
    facets: dict[str, list[FacetValue]]
    next_cursor: str | None
    category_id: int | None = None  # the filtered category (for the unmet-demand note)


# --- parsing ------------------------------------------------------------------------------------------------------


def _decimal(value, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(gettext("%(name)s must be a number") % {"name": name}, field=name) from None
    if not number.is_finite() or number < 0 or number > Decimal("1e12"):
        raise ValidationFailed(gettext("%(name)s must be a number from 0") % {"name": name}, field=name)
    return number.quantize(Decimal("0.01"))


def parse_near(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    try:
        lat_text, lng_text = value.split(",")
        lat, lng = float(lat_text), float(lng_text)
    except ValueError:
        raise ValidationFailed(gettext("near must be latitude,longitude"), field="near") from None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationFailed(gettext("near must be latitude,longitude"), field="near")
    return lat, lng


def parse(params) -> SearchQuery:
    """A SearchQuery from request parameters (a QueryDict or a dict), or ValidationFailed naming the bad field."""

    def one(name: str) -> str:
        value = params.get(name)
        return (value if isinstance(value, str) else "" if value is None else str(value)).strip()

    def many(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            values = params.getlist(name)
        else:
            value = params.get(name)
            values = value if isinstance(value, list | tuple) else [value] if value else []
        return [p.strip() for v in values if v for p in str(v).split(",") if p.strip()]

    q = one("q")
    if len(q) > MAX_QUERY:
        raise ValidationFailed(gettext("the search is too long (at most 200 characters)"), field="q")
    if "\x00" in q:
        raise ValidationFailed(gettext("the search holds a character that is not allowed"), field="q")
    kinds = tuple(dict.fromkeys(many("kind")))
    for kind in kinds:
        if kind not in KINDS:
            raise ValidationFailed(
                gettext("unknown kind %(kind)s; use one of %(kinds)s")
                % {"kind": repr(kind), "kinds": ", ".join(KINDS)},
                field="kind",
            )
    category = one("category")
    if category and not any(c.slug == category for c in categories()):
        raise ValidationFailed(gettext("unknown category %(slug)s") % {"slug": repr(category)}, field="category")
    price_min, price_max = _decimal(one("price_min"), "price_min"), _decimal(one("price_max"), "price_max")
    if price_min is not None and price_max is not None and price_min > price_max:
        raise ValidationFailed(gettext("price_min is above price_max"), field="price_min")
    rating_min = _decimal(one("rating_min"), "rating_min")
    if rating_min is not None and rating_min > 5:
        raise ValidationFailed(gettext("rating_min must be from 0 to 5"), field="rating_min")
    in_stock = one("in_stock").lower()
    if in_stock not in ("", "0", "1", "true", "false", "on", "yes", "no"):
        raise ValidationFailed(gettext("in_stock must be true or false"), field="in_stock")
    level = one("seller_level")
    if level and level not in LEVEL_LABELS:
        raise ValidationFailed(gettext("unknown seller level %(level)s") % {"level": repr(level)}, field="seller_level")
    near = parse_near(one("near"))
    radius_text = one("radius_km")
    radius = DEFAULT_RADIUS_KM
    if radius_text:
        try:
            radius = float(radius_text)
        except ValueError:
            radius = -1
        if not (math.isfinite(radius) and 0 < radius <= MAX_RADIUS_KM):
            raise ValidationFailed(gettext("radius_km must be more than 0 and at most 50"), field="radius_km")
    sort = one("sort") or ("distance" if near and kinds == ("place",) else "relevance")
    if sort not in SORTS:
        raise ValidationFailed(
            gettext("unknown sort %(sort)s; use one of %(sorts)s") % {"sort": repr(sort), "sorts": ", ".join(SORTS)},
            field="sort",
        )
    if sort == "distance" and not near:
        raise ValidationFailed(gettext("sorting by distance needs near=latitude,longitude"), field="sort")
    limit_text = one("limit") or str(DEFAULT_LIMIT)
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
        raise ValidationFailed(gettext("limit must be between 1 and 100"), field="limit")
    cursor = one("cursor") or None
    query = SearchQuery(
        q=q,
        kinds=kinds,
        category=category,
        price_min=price_min,
        price_max=price_max,
        rating_min=rating_min,
        in_stock=in_stock in ("1", "true", "on", "yes"),
        seller_level=level,
        near=near,
        radius_km=radius,
        sort=sort,
        cursor=cursor,
        limit=int(limit_text),
    )
    if cursor:
        _decode_cursor(cursor, sort)  # a bad cursor fails here, before any query
    return query


# --- typo correction ----------------------------------------------------------------------------------------------


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours counts 1); anything above `limit` answers limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _candidates(word: str) -> list[tuple[str, str, int]]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, term, docs FROM search_searchterm WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, docs DESC LIMIT 30",
                [word, word],
            )
            return list(cursor.fetchall())
    spread = allowed_distance(word)
    return list(
        SearchTerm.objects.filter(
            length__gte=len(word) - spread, length__lte=len(word) + spread, word__startswith=word[0]
        )
        .order_by("-docs")
        .values_list("word", "term", "docs")[:5000]
    )


def correct(found: list[Word]) -> tuple[list[Word], bool]:
    """The words with unknown English words replaced by their nearest known word; and whether any was."""
    latin = [w for w in found if w.latin and not w.surface.isdigit() and len(w.surface) >= 3]
    if not latin:
        return found, False
    known = set(SearchTerm.objects.filter(term__in={w.term for w in latin}).values_list("term", flat=True))
    fixed: dict[str, Word] = {}
    for w in latin:
        if w.term in known or w.surface in fixed or len(fixed) >= MAX_CORRECTIONS:
            continue
        limit = allowed_distance(w.surface)
        best: tuple[int, int, str, str] | None = None
        for word, term, docs in _candidates(w.surface):
            distance = edit_distance(w.surface, word, limit)
            if distance <= limit and (best is None or (distance, -docs, word) < (best[0], best[1], best[2])):
                best = (distance, -docs, word, term)
        if best:
            fixed[w.surface] = Word(best[2], best[3], True)
    if not fixed:
        return found, False
    return [fixed.get(w.surface, w) if w.latin else w for w in found], True


# --- matching -----------------------------------------------------------------------------------------------------


def _bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    d_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos = max(math.cos(math.radians(lat)), 1e-6)
    d_lng = min(180.0, math.degrees(radius_km / EARTH_RADIUS_KM) / cos)
    return lat - d_lat, lat + d_lat, lng - d_lng, lng + d_lng


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _filtered(query: SearchQuery):
    qs = SearchDocument.objects.all()
    if query.kinds:
        qs = qs.filter(kind__in=query.kinds)
    if query.category:
        path = next(c.path for c in categories() if c.slug == query.category)
        qs = qs.filter(category_path__startswith=path)
    if query.price_min is not None:
        qs = qs.filter(price__gte=query.price_min)
    if query.price_max is not None:
        qs = qs.filter(price__lte=query.price_max)
    if query.rating_min is not None:
        qs = qs.filter(rating__gte=query.rating_min)
    if query.in_stock:
        qs = qs.filter(in_stock=True)
    if query.seller_level:
        qs = qs.filter(seller_level=query.seller_level)
    if query.near:
        south, north, west, east = _bounding_box(*query.near, query.radius_km)
        box = Q(latitude__gte=south, latitude__lte=north)
        if west < -180 or east > 180:
            box &= Q(longitude__gte=(west + 540) % 360 - 180) | Q(longitude__lte=(east + 540) % 360 - 180)
        else:
            box &= Q(longitude__gte=west, longitude__lte=east)
        qs = qs.filter(~Q(kind="place") | box)
    return qs


def _text_match(qs, terms: list[str], *, any_term: bool):
    """Only the documents that hold all the terms (or any of them), newest first; the database's text index drives
    the query (FTS5 walks its matches in rowid order, so reading the first CANDIDATES costs the same at any size).
    With filters, only the SCAN newest text matches are looked through (step 4 of the module docstring)."""
    if not terms:
        return qs.order_by("-id")
    unique = list(dict.fromkeys(terms))
    bounded = bool(qs.query.where)
    if connection.vendor == "postgresql":
        joiner = " | " if any_term else " & "
        tsquery = joiner.join("'" + t.replace("'", "") + "'" for t in unique)
        match = "to_tsvector('simple', body) @@ to_tsquery('simple', %s)"
        if bounded:
            match = f"search_searchdocument.id IN (SELECT id FROM search_searchdocument WHERE {match} ORDER BY id DESC LIMIT {SCAN})"
        return qs.extra(where=[match], params=[tsquery]).order_by("-id")
    fts = (" OR " if any_term else " ").join('"' + t.replace('"', "") + '"' for t in unique)
    if bounded:
        newest = f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT {SCAN}"
        return qs.extra(where=[f"search_searchdocument.id IN ({newest})"], params=[fts]).order_by("-id")
    return qs.extra(
        select={"fts_rowid": "search_fts.rowid"},
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
        params=[fts],
        order_by=["-fts_rowid"],
    )


def _rows(qs) -> list[Hit]:
    """The candidates, read with a plain cursor (no per-value converters: prices and ratings as floats)."""
    sql, params = qs.values_list(*COLUMNS)[: CANDIDATES + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hits = []
    for row in rows:
        hit = Hit(*row)
        if hit.price is not None:
            hit.price = float(hit.price)
        hit.rating = float(hit.rating)
        hits.append(hit)
    return hits


def _timestamp(value) -> float:
    if isinstance(value, str):  # SQLite hands back its text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


# --- facets, sorting, pages ---------------------------------------------------------------------------------------


def _bucket_label(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return gettext("Under %(high)s") % {"high": high}
    if high is None:
        return gettext("%(low)s and above") % {"low": low}
    return f"{low}–{high}"


def _facets(hits: list[Hit], query: SearchQuery) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {}
    tree = categories()
    by_path = {c.path: c for c in tree}
    base = next((c.path for c in tree if c.slug == query.category), "")
    counts: dict[str, int] = {}
    for hit in hits:
        if hit.category_path.startswith(base) and len(hit.category_path) > len(base):
            child = base + hit.category_path[len(base) :].split("/", 1)[0] + "/"
            counts[child] = counts.get(child, 0) + 1
    facets["category"] = sorted(
        (
            FacetValue(by_path[p].slug, by_path[p].label, n, params={"category": by_path[p].slug})
            for p, n in counts.items()
            if p in by_path
        ),
        key=lambda f: (-f.count, f.label),
    )
    kinds: dict[str, int] = {}
    levels: dict[str, int] = {}
    for hit in hits:
        kinds[hit.kind] = kinds.get(hit.kind, 0) + 1
        if hit.seller_level:
            levels[hit.seller_level] = levels.get(hit.seller_level, 0) + 1
    facets["kind"] = [
        FacetValue(k, str(KIND_LABELS[k]), kinds[k], k in query.kinds, {"kind": k}) for k in KINDS if kinds.get(k)
    ]
    facets["seller_level"] = [
        FacetValue(k, str(label), levels[k], k == query.seller_level, {"seller_level": k})
        for k, label in LEVEL_LABELS.items()
        if levels.get(k)
    ]
    prices = []
    for low, high in PRICE_BUCKETS:
        n = sum(
            1
            for h in hits
            if h.price is not None and (low is None or h.price >= low) and (high is None or h.price < high)
        )
        if n:
            picked = query.price_min == low and query.price_max == high
            params = {"price_min": str(low) if low is not None else "", "price_max": str(high) if high else ""}
            prices.append(FacetValue(f"{low or ''}-{high or ''}", _bucket_label(low, high), n, picked, params))
    facets["price"] = prices
    facets["rating"] = [
        FacetValue(
            str(stars),
            gettext("%(stars)s★ & up") % {"stars": stars},
            n,
            query.rating_min == stars,
            {"rating_min": str(stars)},
        )
        for stars in RATING_STEPS
        if (n := sum(1 for h in hits if h.rating_count and h.rating >= stars))
    ]
    in_stock = sum(1 for h in hits if h.in_stock)
    facets["in_stock"] = (
        [FacetValue("1", gettext("In stock"), in_stock, query.in_stock, {"in_stock": "1"})] if in_stock else []
    )
    if query.near:
        facets["distance"] = [
            FacetValue(
                str(km),
                gettext("Within %(km)s km") % {"km": km},
                n,
                query.radius_km == km,
                {"radius_km": str(km)},
            )
            for km in DISTANCE_STEPS
            if km <= query.radius_km
            and (n := sum(1 for h in hits if h.distance_km is not None and h.distance_km <= km))
        ]
    return facets


def _key(hit: Hit, sort: str) -> list:
    if sort == "price_asc":
        return [1 if hit.price is None else 0, float(hit.price or 0), -hit.id]
    if sort == "price_desc":
        return [1 if hit.price is None else 0, -float(hit.price or 0), -hit.id]
    if sort == "newest":
        return [-_timestamp(hit.created_at), -hit.id]
    if sort == "rating":
        return [-float(hit.rating), -hit.rating_count, -hit.id]
    if sort == "sales":
        return [-hit.sold_count, -hit.id]
    if sort == "distance":
        return [1 if hit.distance_km is None else 0, round(hit.distance_km or 0, 6), -hit.id]
    return [-round(hit.score, 9), -hit.id]


def _encode_cursor(sort: str, key: list) -> str:
    raw = json.dumps([sort, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _finite(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _decode_cursor(cursor: str, sort: str) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        values = None
    if (
        not isinstance(values, list)
        or len(values) < 2
        or values[0] != sort
        or not all(_finite(v) for v in values[1:])
        or len(values) - 1 != KEY_LENGTH.get(sort, 2)
    ):
        raise ValidationFailed(gettext("malformed cursor"), field="cursor")
    return values[1:]


KEY_LENGTH = {"price_asc": 3, "price_desc": 3, "rating": 3, "distance": 3}  # the others: 2


def _display(page: list[Hit]) -> None:
    if not page:
        return
    rows = SearchDocument.objects.filter(pk__in=[h.id for h in page]).values_list("id", *DISPLAY)
    shown = {row[0]: row[1:] for row in rows}
    for hit in page:
        for name, value in zip(DISPLAY, shown.get(hit.id, ()), strict=False):
            setattr(hit, name, value)


def search(query: SearchQuery) -> SearchResult:
    """Run a parsed query (see the module docstring for the steps). 3–6 queries whatever the page size."""
    found = words(query.q)[:MAX_TERMS]
    found, was_corrected = correct(found)
    terms = [w.term for w in found]
    qs = _filtered(query)
    hits = _rows(_text_match(qs, terms, any_term=False))
    if not hits and len(set(terms)) > 1:
        hits = _rows(_text_match(qs, terms, any_term=True))
    capped = len(hits) > CANDIDATES
    hits = hits[:CANDIDATES]
    if query.near:
        kept = []
        for hit in hits:
            if hit.latitude is not None and hit.longitude is not None:
                hit.distance_km = distance_km(*query.near, hit.latitude, hit.longitude)
                if hit.distance_km > query.radius_km:
                    continue
            kept.append(hit)
        hits = kept
    wanted = frozenset(terms)
    for hit in hits:
        hit.score = relevance(hit, wanted)
    facets = _facets(hits, query)
    hits.sort(key=lambda h: _key(h, query.sort))
    if query.cursor:
        after = _decode_cursor(query.cursor, query.sort)
        hits_after = [h for h in hits if _key(h, query.sort) > after]
    else:
        hits_after = hits
    page = hits_after[: query.limit]
    _display(page)
    next_cursor = _encode_cursor(query.sort, _key(page[-1], query.sort)) if len(hits_after) > query.limit else None
    corrected = " ".join(w.surface for w in found) if was_corrected else None
    category_id = next((c.pk for c in categories() if c.slug == query.category), None) if query.category else None
    return SearchResult(
        query=query,
        hits=page,
        total=len(hits),
        total_capped=capped,
        corrected=corrected,
        facets=facets,
        next_cursor=next_cursor,
        category_id=category_id,
    )


def matching(doc_ids, text: str) -> set[int]:
    """Of these documents, the ids whose text holds every term of `text`: strict (no typo correction, no "any term"
    fallback). Sponsored slots ask it, so an item is never shown for a query its own text does not match."""
    wanted = [w.term for w in words(text)[:MAX_TERMS]]
    ids = list(doc_ids)
    if not wanted or not ids:
        return set()
    qs = _text_match(SearchDocument.objects.filter(pk__in=ids), wanted, any_term=False)
    return set(qs.values_list("id", flat=True))
