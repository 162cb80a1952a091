"""The search index: one row per searchable thing (a product of any kind, a place), its normalised text and the
facet fields lists filter, count and sort on. Kept in step by search.indexing (signals, source registry, `reindex`).

The full-text part lives beside it, per database:
    SQLite       the FTS5 table `search_fts` (external content: this table's `body`, kept by triggers)
    PostgreSQL   a GIN index on to_tsvector('simple', body); a trigram index on SearchTerm.word for typos
Both are created by this app's migrations, only on their own database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tradeloop.core import clock


class SearchDocument(models.Model):
    class Source(models.TextChoices):
        PRODUCT = "product", _("Product")
        PLACE = "place", _("Place")

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    object_id = models.BigIntegerField(_("object id"))
    # the product's kind (physical, listing, deal, service) or "place": the "mode" facet
    kind = models.CharField(_("kind"), max_length=10)
    title = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Simplified Chinese)"), max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    cover = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)  # normalised terms of everything searchable, both languages
    title_terms = models.TextField(blank=True)  # normalised terms of the titles alone (ranking)
    category_id = models.BigIntegerField(null=True, blank=True)
    category_path = models.CharField(max_length=500, blank=True)
    price = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    seller_id = models.BigIntegerField(null=True, blank=True)
    seller_name = models.CharField(max_length=120, blank=True)
    seller_level = models.CharField(max_length=10, blank=True)  # a C2C seller's level ("top", "below"…), else ""
    seller_trust = models.FloatField(default=1.0)  # from the registered standing providers; 1 = neutral
    rating = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    sold_count = models.PositiveIntegerField(default=0)
    in_stock = models.BooleanField(default=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    city = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    indexed_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["source", "object_id"], name="search_doc_unique")]
        indexes = [
            models.Index(fields=["kind", "-id"], name="search_doc_kind"),
            models.Index(fields=["category_path"], name="search_doc_category"),
            models.Index(fields=["latitude", "longitude"], name="search_doc_position"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}: {self.title or self.title_zh}"


class SearchTerm(models.Model):
    """The vocabulary: every Latin-script word indexed, as written (lowercased), with its indexed term. Unknown
    query words are corrected against it (edit distance on SQLite, trigram similarity on PostgreSQL)."""

    word = models.CharField(_("word"), max_length=40, unique=True)
    term = models.CharField(_("term"), max_length=40, db_index=True)
    length = models.PositiveSmallIntegerField()
    docs = models.PositiveIntegerField(default=1)  # how many documents held it at the last full reindex

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [models.Index(fields=["length", "word"], name="search_term_length")]

    def __str__(self) -> str:
        return self.word
