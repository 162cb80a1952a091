from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tradeloop.catalog.models import Category
from tradeloop.catalog.selectors import CATEGORY_TREE_KEY


@receiver([post_save, post_delete], sender=Category)
def forget_category_tree(**_) -> None:
    cache.delete(CATEGORY_TREE_KEY)
