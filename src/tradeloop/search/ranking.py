"""How results are ordered by relevance: text match first, then trust.

relevance(doc, terms) = text_score × trust_factor(doc)
text_score            = 1 (the document matched)
                      + 2 × the share of the query's terms found in a title (either language)
                      + the share of the title made of query terms (a short, exact title beats a long one)
trust_factor(doc)     the ONE place where trust bends ranking (issue #12 plugs seller verification and sponsored
                      slots in here): well-rated goods up (≥ 3 ratings, ±3 % a star around 3.5), a C2C top
                      seller up, a below-standard seller down, and the registered standing providers' trust
                      (1 = neutral) multiplied in. Clamped to 0.5…1.5, so trust reorders close matches but never
                      lifts a poor match over a good one.
"""

from __future__ import annotations

from collections.abc import Sequence

LEVEL_FACTOR = {"top": 1.15, "good": 1.0, "new": 1.0, "below": 0.7}
MIN_RATINGS = 3
PER_STAR = 0.03
FLOOR, CEILING = 0.5, 1.5


def trust_factor(doc) -> float:
    """How much trust lifts (> 1) or lowers (< 1) a document: `doc` has rating, rating_count, seller_level and
    seller_trust (a SearchDocument or any row with those attributes)."""
    factor = 1.0
    if (doc.rating_count or 0) >= MIN_RATINGS:
        factor *= 1 + (float(doc.rating) - 3.5) * PER_STAR
    factor *= LEVEL_FACTOR.get(doc.seller_level or "", 1.0)
    factor *= float(doc.seller_trust or 1.0)
    return max(FLOOR, min(CEILING, factor))


def text_score(title_terms: str, terms: Sequence[str]) -> float:
    if not terms:
        return 1.0
    wanted = terms if isinstance(terms, frozenset) else frozenset(terms)
    title = title_terms.split()
    present = set(title)
    hits = len(wanted & present)
    covered = sum(1 for t in title if t in wanted)
    return 1 + 2 * hits / len(wanted) + (covered / len(title) if title else 0)


def relevance(doc, terms: Sequence[str]) -> float:
    return text_score(doc.title_terms, terms) * trust_factor(doc)
