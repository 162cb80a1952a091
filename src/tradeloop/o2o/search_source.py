"""Places in the one search box: o2o registers them as a document source of search (search sits below the modes
and never imports them). A place is findable while it and its business are active; its name, address, city and
district (both languages), its categories and its business's name are matched. The index follows a place saved or
deleted, its rating (reviews) and its lowest price and sales (deals)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse

from tradeloop.catalog.models import in_language
from tradeloop.o2o.models import Place
from tradeloop.search import sources

NAME = "place"


def documents(ids: list[int]) -> list[sources.Document]:
    places = (
        Place.objects.filter(pk__in=ids, is_active=True, seller__is_active=True)
        .select_related("seller")
        .prefetch_related("categories")
    )
    found = []
    for p in places:
        cats = list(p.categories.all())
        first = min(cats, key=lambda c: c.path) if cats else None
        found.append(
            sources.Document(
                id=p.pk,
                kind="place",
                title=p.name,
                title_zh=p.name_zh,
                texts=[
                    p.address,
                    p.address_zh,
                    p.city,
                    p.city_zh,
                    p.district,
                    p.district_zh,
                    p.seller.name,
                    *(name for c in cats for name in (c.name, c.name_zh)),
                ],
                url=reverse("o2o:place", args=[p.pk]),
                cover=p.cover,
                category_id=first.pk if first else None,
                category_path=first.path if first else "",
                price=p.price_from,
                currency=p.currency,
                seller_id=p.seller_id,
                seller_name=p.seller.name,
                rating=p.rating_avg,
                rating_count=p.rating_count,
                sold_count=p.sold_count,
                in_stock=True,
                latitude=p.latitude,
                longitude=p.longitude,
                city=p.city,
                created_at=p.created_at,
            )
        )
    return found


def all_ids():
    return Place.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=1000)


def cards(ids: list[int]) -> dict[int, sources.Card]:
    places = Place.objects.filter(pk__in=ids).only(
        "id", "name", "name_zh", "city", "city_zh", "district", "district_zh", "cover", "rating_avg", "rating_count",
        "price_from", "currency",
    )  # fmt: skip
    return {
        p.pk: sources.Card(
            title=p.display_name,
            url=reverse("o2o:place", args=[p.pk]),
            cover=p.cover,
            city=in_language(p.city, p.city_zh),
            district=in_language(p.district, p.district_zh),
            rating=p.rating_avg,
            rating_count=p.rating_count,
            price=p.price_from,
            currency=p.currency,
        )
        for p in places
    }


def place_changed(place_ids) -> None:
    """Reindex these places once the transaction commits (ratings, prices and sales are written set-based)."""
    sources.changed(NAME, place_ids)


def _saved(sender, instance: Place, **kwargs) -> None:
    place_changed([instance.pk])


def _categories_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Place):
        place_changed([instance.pk])


def register() -> None:
    sources.register_source(NAME, documents=documents, all_ids=all_ids, cards=cards)
    post_save.connect(_saved, sender=Place, dispatch_uid="search-place-saved")
    post_delete.connect(_saved, sender=Place, dispatch_uid="search-place-deleted")
    m2m_changed.connect(_categories_changed, sender=Place.categories.through, dispatch_uid="search-place-categories")
