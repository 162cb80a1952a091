"""The catalog's changes that the index follows: a product saved or deleted, a variant (price, stock) saved or
deleted. Each reindexes its product once the transaction commits (search.indexing.schedule)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from tradeloop.catalog.models import Product, Variant
from tradeloop.search import indexing
from tradeloop.search.models import SearchDocument

PRODUCT = SearchDocument.Source.PRODUCT


def _product_changed(sender, instance: Product, **kwargs) -> None:
    indexing.schedule(PRODUCT, [instance.pk])


def _variant_changed(sender, instance: Variant, **kwargs) -> None:
    indexing.schedule(PRODUCT, [instance.product_id])


def products_changed(sender=None, *, product_ids=(), **kwargs) -> None:
    """For set-based writers (summaries, stock flags, sold counts) that send catalog's products_changed. A subquery
    of ids is read only once the transaction commits (no query inside the writer's)."""
    if isinstance(product_ids, QuerySet):
        pending = product_ids
        transaction.on_commit(
            lambda: indexing._index_quietly(
                PRODUCT, list(Product.objects.filter(pk__in=pending).values_list("pk", flat=True))
            )
        )
    else:
        indexing.schedule(PRODUCT, list(product_ids))


def register() -> None:
    post_save.connect(_product_changed, sender=Product, dispatch_uid="search-product-saved")
    post_delete.connect(_product_changed, sender=Product, dispatch_uid="search-product-deleted")
    post_save.connect(_variant_changed, sender=Variant, dispatch_uid="search-variant-saved")
    post_delete.connect(_variant_changed, sender=Variant, dispatch_uid="search-variant-deleted")
    from tradeloop.catalog import signals as catalog_signals

    if hasattr(catalog_signals, "products_changed"):
        catalog_signals.products_changed.connect(products_changed, dispatch_uid="search-products-changed")
