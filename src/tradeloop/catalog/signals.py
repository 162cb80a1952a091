from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from tradeloop.catalog.models import Category
from tradeloop.catalog.selectors import CATEGORY_TREE_KEY

# product_ids=list[int] (or a subquery of them): set-based writes changed these products' list fields (price summary,
# stock flag, sold count) without saving them; search reindexes them once the transaction commits
products_changed = Signal()


@receiver([post_save, post_delete], sender=Category)
def forget_category_tree(**_) -> None:
    cache.delete(CATEGORY_TREE_KEY)
