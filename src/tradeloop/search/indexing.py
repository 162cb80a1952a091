"""Keeping the index in step with the goods: build a product's or a source's documents, write them with their
vocabulary, take out what is no longer findable, and rebuild everything (`tradeloop reindex`).

Writes are batched (one bulk insert, one bulk update, one delete per batch) and run after the writing transaction
commits (`schedule`), so a product is indexed once with its final price, stock and status.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction
from django.urls import reverse

from tradeloop.catalog.models import Product
from tradeloop.catalog.selectors import categories
from tradeloop.core import clock
from tradeloop.search import sources
from tradeloop.search.models import SearchDocument, SearchTerm
from tradeloop.search.normalise import normalise, words

log = logging.getLogger(__name__)
PRODUCT = SearchDocument.Source.PRODUCT
BATCH = 1000
BODY_LIMIT = 20_000  # characters of normalised text kept per document
FIELDS = [
    "kind",
    "title",
    "title_zh",
    "url",
    "cover",
    "body",
    "title_terms",
    "category_id",
    "category_path",
    "price",
    "currency",
    "seller_id",
    "seller_name",
    "seller_level",
    "seller_trust",
    "rating",
    "rating_count",
    "sold_count",
    "in_stock",
    "latitude",
    "longitude",
    "city",
    "created_at",
    "indexed_at",
]


def _attribute_texts(*mappings) -> list[str]:
    found: list[str] = []
    for mapping in mappings:
        if isinstance(mapping, dict):
            for key, value in mapping.items():
                found.append(str(key))
                found.append(" ".join(map(str, value)) if isinstance(value, list | tuple) else str(value))
    return found


def _category_names() -> dict[str, list[str]]:
    """path → the names (both languages) of the category and its ancestors."""
    by_path = {c.path: c for c in categories()}
    names: dict[str, list[str]] = {}
    for path in by_path:
        parts = path.strip("/").split("/")
        found: list[str] = []
        for depth in range(1, len(parts) + 1):
            c = by_path.get("/".join(parts[:depth]) + "/")
            if c is not None:
                found += [c.name, c.name_zh]
        names[path] = found
    return names


def product_documents(ids: list[int]) -> list[sources.Document]:
    """The documents of the findable products among these ids (published, seller active, priced)."""
    products = (
        Product.objects.published().exclude(price_from=None).filter(pk__in=ids).select_related("seller", "category")
    )
    names = _category_names()
    found = []
    for p in products:
        path = p.category.path if p.category else ""
        found.append(
            sources.Document(
                id=p.pk,
                kind=p.kind,
                title=p.title,
                title_zh=p.title_zh,
                texts=[
                    p.description,
                    p.description_zh,
                    *_attribute_texts(p.attributes, p.attributes_zh),
                    p.seller.name,
                    *names.get(path, []),
                ],
                url=reverse("storefront:product", args=[p.pk, p.slug]),
                cover=p.cover,
                category_id=p.category_id,
                category_path=path,
                price=p.price_from,
                currency=p.currency,
                seller_id=p.seller_id,
                seller_name=p.seller.name,
                rating=p.rating_avg,
                rating_count=p.rating_count,
                sold_count=getattr(p, "sold_count", 0) or 0,
                in_stock=p.in_stock,
                city=p.seller.city,
                created_at=p.created_at,
            )
        )
    return found


def _documents(source: str, ids: list[int]) -> list[sources.Document]:
    if source == PRODUCT:
        return product_documents(ids)
    found = sources.source(source)
    return found.documents(ids) if found else []


def _row(source: str, doc: sources.Document, standing: sources.Standing | None, now) -> SearchDocument:
    title_terms = normalise(doc.title, doc.title_zh)
    body = " ".join(filter(None, [title_terms, normalise(*doc.texts)]))[:BODY_LIMIT]
    return SearchDocument(
        source=source,
        object_id=doc.id,
        kind=doc.kind,
        title=doc.title[:200],
        title_zh=doc.title_zh[:200],
        url=doc.url[:300],
        cover=doc.cover[:300],
        body=body,
        title_terms=title_terms,
        category_id=doc.category_id,
        category_path=doc.category_path,
        price=doc.price,
        currency=doc.currency,
        seller_id=doc.seller_id,
        seller_name=doc.seller_name[:120],
        seller_level=standing.level if standing else "",
        seller_trust=standing.trust if standing else 1.0,
        rating=doc.rating,
        rating_count=doc.rating_count,
        sold_count=doc.sold_count,
        in_stock=doc.in_stock,
        latitude=doc.latitude,
        longitude=doc.longitude,
        city=doc.city[:80],
        created_at=doc.created_at or now,
        indexed_at=now,
    )


def vocabulary(texts: Iterable[str]) -> Counter:
    """The Latin-script words of some texts (as written, lowercased) with their terms: {(word, term): documents}."""
    found: Counter = Counter()
    for text in texts:
        found.update({(w.surface, w.term) for w in words(text) if w.latin and not w.surface.isdigit()})
    return found


def _add_words(counted: Counter) -> None:
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w, term=t, length=len(w), docs=n) for (w, t), n in counted.items() if len(w) <= 40],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


@transaction.atomic
def index(source: str, ids: Iterable[int], *, counted: Counter | None = None) -> int:
    """(Re)index these objects of a source: the findable ones are written, the others taken out. Returns how many
    documents it wrote. Their words join the vocabulary (or `counted`, for a full rebuild)."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return 0
    now = clock.now()
    docs = _documents(source, ids)
    standing = sources.standings([d.seller_id for d in docs if d.seller_id])
    keep = {d.id for d in docs}
    SearchDocument.objects.filter(source=source, object_id__in=[i for i in ids if i not in keep]).delete()
    existing = dict(SearchDocument.objects.filter(source=source, object_id__in=keep).values_list("object_id", "id"))
    fresh, changed = [], []
    for doc in docs:
        row = _row(source, doc, standing.get(doc.seller_id), now)
        if doc.id in existing:
            row.pk = existing[doc.id]
            changed.append(row)
        else:
            fresh.append(row)
    SearchDocument.objects.bulk_create(fresh, batch_size=BATCH)
    SearchDocument.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
    found = vocabulary(t for d in docs for t in (d.title, d.title_zh, *d.texts))
    if counted is None:
        _add_words(found)
    else:
        counted.update(found)
    return len(docs)


def remove(source: str, ids: Iterable[int]) -> None:
    SearchDocument.objects.filter(source=source, object_id__in=list(ids)).delete()


def schedule(source: str, ids: Iterable[int]) -> None:
    """Reindex these objects once the current transaction commits (at once outside one)."""
    ids = sorted({int(i) for i in ids if i is not None})
    if ids:
        transaction.on_commit(lambda: _index_quietly(source, ids))


def _index_quietly(source: str, ids: list[int]) -> None:
    try:
        index(source, ids)
    except Exception:  # the sale or the edit stands; `tradeloop reindex` repairs the index
        log.exception("search: indexing %s %s failed", source, ids[:10])


def _id_batches(all_ids: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for i in all_ids:
        batch.append(i)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def plan() -> list[tuple[str, int, Callable[[], Iterable[int]]]]:
    """What a full reindex goes through: (source, how many objects, their ids)."""
    steps: list[tuple[str, int, Callable[[], Iterable[int]]]] = [
        (
            PRODUCT,
            Product.objects.count(),
            lambda: Product.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH),
        )
    ]
    for found in sources.sources():
        ids = list(found.all_ids())
        steps.append((found.name, len(ids), lambda ids=ids: iter(ids)))
    return steps


def reindex_all(progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rebuild the whole index and its vocabulary. `progress(source, done)` is told after every batch."""
    written: dict[str, int] = {}
    counted: Counter = Counter()
    seen: dict[str, set[int]] = {}
    for name, _, ids in plan():
        written[name], seen[name] = 0, set()
        for batch in _id_batches(ids()):
            seen[name].update(batch)
            written[name] += index(name, batch, counted=counted)
            if progress:
                progress(name, len(batch))
    with transaction.atomic():
        for name, ids in seen.items():  # objects that are gone altogether
            indexed = SearchDocument.objects.filter(source=name).values_list("object_id", flat=True)
            remove(name, [i for i in indexed.iterator(chunk_size=BATCH) if i not in ids])
        SearchDocument.objects.exclude(source__in=list(seen)).delete()  # sources no longer registered
        SearchTerm.objects.all().delete()
        _add_words(counted)
    return written
