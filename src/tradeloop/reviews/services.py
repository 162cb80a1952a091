"""Reviews backed by a trade record: every write of the review system.

    write      the record's author (a redeemed voucher's buyer, a completed booking's consumer) reviews it once:
               1–5 stars, the target kind's sub-scores (each 1–5, optional), text, up to 9 photos; at most
               TRADELOOP_REVIEW_MAX_PER_DAY reviews per person in 24 hours
    edit       the author, until `editable_until` (TRADELOOP_REVIEW_EDIT_DAYS after writing); photos may be added
    reply      a member of the seller (support.reply or orders.view) answers publicly, once; the answer may be edited
    hide/show  the operator (back office), with a reason

Whenever the published reviews of a target change, its summary (average, count, Wilson lower bound of the share of
4–5 star reviews) goes to the target kind's `on_change` (reviews.records), in the same transaction.
"""

from __future__ import annotations

import difflib
import math
import uuid
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import translation
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import memberships_of
from tradeloop.catalog.services import checked_photo
from tradeloop.core import clock, states
from tradeloop.core.errors import (
    Conflict,
    DomainError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tradeloop.reviews import records
from tradeloop.reviews.errors import Code
from tradeloop.reviews.models import HelpfulVote, Review, ReviewPhoto, ReviewReport

State = Review.State
MAX_TEXT = 2000
MAX_REPLY = 1000
MAX_PHOTOS = 9  # per review, all uploads together
POSITIVE_STARS = 4  # 4 and 5 stars count as positive for the confidence-aware score
Z_95 = 1.959964
REPLY_CAPABILITIES = ("support.reply", "orders.view")
REVOKED = "record revoked"  # the reason of the hiding that record_restored may take back


class TooManyReviews(DomainError):
    status = 429
    code = Code.TOO_MANY_REVIEWS


def edit_days() -> timedelta:
    return timedelta(days=int(getattr(settings, "TRADELOOP_REVIEW_EDIT_DAYS", 30)))


def max_per_day() -> int:
    return int(getattr(settings, "TRADELOOP_REVIEW_MAX_PER_DAY", 5))


def max_photo_bytes() -> int:
    return int(getattr(settings, "TRADELOOP_REVIEW_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


# --- the confidence-aware score -------------------------------------------------------------------------------------


def wilson_lower_bound(positive: int, total: int, z: float = Z_95) -> Decimal:
    """The lower bound of the Wilson score interval of positive/total: 2 of 2 positive scores about 0.34, 180 of 200
    about 0.85, so a few perfect reviews do not outrank many good ones. 0 without reviews."""
    if total <= 0:
        return Decimal("0.000")
    p = positive / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    spread = z * math.sqrt((p * (1 - p) + z2 / (4 * total)) / total)
    bound = (centre - spread) / (1 + z2 / total)
    return Decimal(str(max(0.0, bound))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def summarize(target_kind: str, target_id: int) -> records.Summary:
    """The published reviews of a target (one query)."""
    got = Review.objects.filter(target_kind=target_kind, target_id=target_id, state=State.PUBLISHED).aggregate(
        count=Count("id"), average=Avg("stars"), positive=Count("id", filter=Q(stars__gte=POSITIVE_STARS))
    )
    count, positive = got["count"], got["positive"]
    average = Decimal(str(got["average"] or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return records.Summary(count=count, average=average, positive=positive, score=wilson_lower_bound(positive, count))


def refresh_target(target_kind: str, target_id: int) -> records.Summary:
    """Tell the target's mode its new summary (its denormalised rating follows)."""
    summary = summarize(target_kind, target_id)
    kind = records.target_kind(target_kind)
    if kind is not None:
        kind.on_change(target_id, summary)
    return summary


# --- input checks -----------------------------------------------------------------------------------------------


def _stars(value, field: str = "stars") -> int:
    if isinstance(value, bool) or value in (None, ""):
        raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field) from None
    if str(number) != str(value).strip() or not 1 <= number <= 5:
        raise ValidationFailed(gettext("Choose 1 to 5 stars."), field=field)
    return number


def _scores(target_kind: str, scores: dict | None) -> dict[str, int]:
    """The sub-scores the target kind knows, each 1–5; an unknown key is refused, a missing or empty one left out."""
    if scores is None:
        return {}
    if not isinstance(scores, dict):
        raise ValidationFailed(gettext("Sub-scores are a set of names and stars."), field="scores")
    kind = records.target_kind(target_kind)
    known = kind.score_keys if kind else ()
    cleaned = {}
    for key, value in scores.items():
        if key not in known:
            raise ValidationFailed(
                gettext("Unknown sub-score %(key)s: use %(known)s.") % {"key": key, "known": ", ".join(known)},
                field=f"scores.{key}",
                code=Code.UNKNOWN_SCORE,
            )
        if value not in (None, ""):
            cleaned[key] = _stars(value, field=f"scores.{key}")
    return cleaned


def _text(value: str | None, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(gettext("Text may not contain NUL characters."), field=field)
    if required and not value:
        raise ValidationFailed(gettext("Write a few words."), field=field)
    if len(value) > limit:
        raise ValidationFailed(gettext("At most %(n)s characters, please.") % {"n": limit}, field=field)
    return value


def _checked_photo(index: int, upload: UploadedFile) -> str:
    return checked_photo(
        upload,
        field=f"photos.{index}",
        max_bytes=max_photo_bytes(),
        too_large=Code.PHOTO_TOO_LARGE,
        wrong_type=Code.PHOTO_TYPE,
    )


def _check_photos(photos: list[UploadedFile], *, already: int = 0) -> list[str]:
    if already + len(photos) > MAX_PHOTOS:
        raise ValidationFailed(
            gettext("At most %(n)s photos per review.") % {"n": MAX_PHOTOS}, field="photos", code=Code.TOO_MANY_PHOTOS
        )
    return [_checked_photo(i, p) for i, p in enumerate(photos)]


def _save_photos(review: Review, photos: list[UploadedFile], extensions: list[str], *, start: int) -> list[ReviewPhoto]:
    saved = []
    for position, (upload, ext) in enumerate(zip(photos, extensions, strict=True), start=start):
        upload.name = f"{uuid.uuid4().hex}.{ext}"
        saved.append(ReviewPhoto.objects.create(review=review, image=upload, position=position))
    return saved


def _signed_in(actor: User | None) -> User:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in to review."))
    return actor


# --- the author's side ------------------------------------------------------------------------------------------


def _not_reviewable() -> NotFound:
    return NotFound(
        gettext("Only a visit you have completed or an order delivered to you can be reviewed."),
        code=Code.NOT_REVIEWABLE,
    )


def _within_daily_limit(actor: User, now: datetime) -> None:
    written = Review.objects.filter(author=actor, created_at__gt=now - timedelta(days=1)).count()
    if written >= max_per_day():
        raise TooManyReviews(
            gettext("You have written %(n)s reviews today, the most allowed: try again tomorrow.")
            % {"n": max_per_day()}
        )


@transaction.atomic
def write_review(
    *,
    actor: User,
    record_kind: str,
    record_id: int,
    stars: int,
    scores: dict | None = None,
    text: str = "",
    photos: list[UploadedFile] | None = None,
    language: str | None = None,
) -> Review:
    """The actor reviews the visit a record of theirs proves (see the module docstring)."""
    _signed_in(actor)
    record = records.resolve(record_kind, record_id, actor)
    if record is None or record.author_id != actor.pk:
        raise _not_reviewable()
    stars = _stars(stars)
    scores = _scores(record.target_kind, scores)
    text = _text(text, field="text", limit=MAX_TEXT)
    photos = list(photos or [])
    extensions = _check_photos(photos)
    # one writer per person at a time: the daily count and the one-per-record check hold under concurrent posts
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if Review.objects.filter(record_kind=record.kind, record_id=record.id).exists():
        raise Conflict(_already_reviewed(record.kind), code=Code.ALREADY_REVIEWED)
    now = clock.now()
    _within_daily_limit(actor, now)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                author=actor,
                seller_id=record.seller_id,
                record_kind=record.kind,
                record_id=record.id,
                target_kind=record.target_kind,
                target_id=record.target_id,
                stars=stars,
                scores=scores,
                text=text,
                language=(language or translation.get_language() or settings.LANGUAGE_CODE)[:10],
                visited_at=record.visited_at,
                editable_until=now + edit_days(),
                created_at=now,
            )
    except IntegrityError:
        raise Conflict(_already_reviewed(record.kind), code=Code.ALREADY_REVIEWED) from None
    twin = near_duplicate(review)
    if twin is not None:  # the same words from another account: the operator looks before anyone sees it
        review.held_reason = f"near duplicate of #{twin.pk}"
        review.save(update_fields=["held_reason"])
        Review.objects.filter(pk=review.pk).update(state=State.HELD)
        review.state = State.HELD
        states.record(review, new=State.HELD, actor=actor, reason=review.held_reason)
    else:
        states.record(review, new=review.state, actor=actor, reason="review written")
    _save_photos(review, photos, extensions, start=0)
    refresh_target(review.target_kind, review.target_id)
    return review


def _already_reviewed(kind: str) -> str:
    if kind in ("voucher", "booking"):
        return gettext("You have reviewed this visit already.")
    return gettext("You have reviewed this purchase already.")


# --- near duplicates --------------------------------------------------------------------------------------------

DUPLICATE_MIN_CHARS = 20  # shorter texts ("Great!") are too common to say anything
DUPLICATE_RATIO = 0.85  # how alike two normalised texts are (difflib) to count as the same review
DUPLICATE_WINDOW = timedelta(days=90)
DUPLICATE_SCAN = 200  # recent reviews of the same seller or target compared


def normalised(text: str) -> str:
    """Lower case, letters and digits only, whitespace collapsed: "Great  tea!!" and "great tea" are the same."""
    kept = "".join(ch if ch.isalnum() else " " for ch in (text or "").casefold())
    return " ".join(kept.split())


def near_duplicate(review: Review) -> Review | None:
    """A recent review by another account, of the same seller or target, whose text is nearly the same (one query
    over at most DUPLICATE_SCAN reviews); None when the text is too short to tell."""
    mine = normalised(review.text)
    if len(mine) < DUPLICATE_MIN_CHARS:
        return None
    recent = (
        Review.objects.filter(
            Q(seller_id=review.seller_id) | Q(target_kind=review.target_kind, target_id=review.target_id),
            created_at__gte=review.created_at - DUPLICATE_WINDOW,
        )
        .exclude(author_id=review.author_id)
        .exclude(pk=review.pk)
        .exclude(text="")
        .only("id", "text")
        .order_by("-created_at", "-id")[:DUPLICATE_SCAN]
    )
    for other in recent:
        theirs = normalised(other.text)
        if len(theirs) < DUPLICATE_MIN_CHARS:
            continue
        matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
        if min(matcher.real_quick_ratio(), matcher.quick_ratio(), matcher.ratio()) >= DUPLICATE_RATIO:
            return other  # the cheap upper bounds first: ratio() runs only when they pass
    return None


def _own_review(actor: User, review_id: int) -> Review:
    _signed_in(actor)
    review = Review.objects.select_for_update().filter(pk=review_id, author=actor).first()
    if review is None:
        raise NotFound(gettext("Review not found."))
    return review


def _editable(review: Review, now: datetime) -> None:
    if now > review.editable_until:
        raise Conflict(
            gettext("A review can be edited for %(days)s days after it was written.") % {"days": edit_days().days},
            code=Code.NOT_EDITABLE,
        )


def is_editable(review: Review, now: datetime | None = None) -> bool:
    return (now or clock.now()) <= review.editable_until


@transaction.atomic
def edit_review(
    *,
    actor: User,
    review_id: int,
    stars: int | None = None,
    scores: dict | None = None,
    text: str | None = None,
    photos: list[UploadedFile] | None = None,
) -> Review:
    """The author changes what is given (None: kept) until the review's edit window closes."""
    review = _own_review(actor, review_id)
    now = clock.now()
    _editable(review, now)
    fields = ["edited_at"]
    if stars is not None:
        review.stars = _stars(stars)
        fields.append("stars")
    if scores is not None:
        review.scores = _scores(review.target_kind, scores)
        fields.append("scores")
    if text is not None:
        review.text = _text(text, field="text", limit=MAX_TEXT)
        fields.append("text")
    photos = list(photos or [])
    already = review.photos.count()
    extensions = _check_photos(photos, already=already)
    review.edited_at = now
    review.save(update_fields=fields)
    _save_photos(review, photos, extensions, start=already)
    if "stars" in fields:
        refresh_target(review.target_kind, review.target_id)
    return review


@transaction.atomic
def add_photos(*, actor: User, review_id: int, photos: list[UploadedFile]) -> list[ReviewPhoto]:
    """The author adds photos while the review is editable (at most 9 in all)."""
    review = _own_review(actor, review_id)
    _editable(review, clock.now())
    if not photos:
        raise ValidationFailed(gettext("Choose at least one photo."), field="photos")
    already = review.photos.count()
    extensions = _check_photos(list(photos), already=already)
    return _save_photos(review, list(photos), extensions, start=already)


# --- the seller's side ------------------------------------------------------------------------------------------


def may_reply(membership) -> bool:
    """A member whose role answers buyers or sees orders may answer the organization's reviews."""
    return any(membership.role.grants(c) for c in REPLY_CAPABILITIES)


def _sellers_review(actor: User, review_id: int) -> Review:
    """A review of one of the actor's organizations, locked; another tenant's: 404, a role that may not: 403."""
    _signed_in(actor)
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    member = next((m for m in memberships_of(actor) if review and m.organization_id == review.seller_id), None)
    if member is None:
        raise NotFound(gettext("Review not found."))
    if not may_reply(member):
        raise PermissionDenied(gettext("Your role does not allow answering reviews."))
    return review


@transaction.atomic
def reply(*, actor: User, review_id: int, text: str) -> Review:
    """The seller answers a review publicly, once (edit_reply changes the answer)."""
    text = _text(text, field="reply", limit=MAX_REPLY, required=True)
    review = _sellers_review(actor, review_id)
    if review.replied_at is not None:
        raise Conflict(gettext("You have answered this review already: edit your answer."), code=Code.ALREADY_REPLIED)
    review.reply, review.replied_at = text, clock.now()
    review.save(update_fields=["reply", "replied_at"])
    states.record(review, actor=actor, reason="seller replied")
    return review


@transaction.atomic
def edit_reply(*, actor: User, review_id: int, text: str) -> Review:
    text = _text(text, field="reply", limit=MAX_REPLY, required=True)
    review = _sellers_review(actor, review_id)
    if review.replied_at is None:
        raise Conflict(gettext("There is no answer to edit yet."), code=Code.NOT_REPLIED)
    review.reply = text
    review.save(update_fields=["reply"])
    states.record(review, actor=actor, reason="seller edited the reply")
    return review


def answer(*, actor: User, review_id: int, text: str) -> Review:
    """Reply, or edit the reply already given (the web form does either)."""
    try:
        return reply(actor=actor, review_id=review_id, text=text)
    except Conflict as exc:
        if exc.code != Code.ALREADY_REPLIED:
            raise
    return edit_reply(actor=actor, review_id=review_id, text=text)


# --- the operator's side ----------------------------------------------------------------------------------------


def _close_reports(review: Review) -> int:
    closed = ReviewReport.objects.filter(review=review, resolved_at__isnull=True).update(resolved_at=clock.now())
    Review.objects.filter(pk=review.pk).update(open_reports=0)
    review.open_reports = 0
    return closed


@transaction.atomic
def hide(*, actor: User | None, review_id: int, reason: str) -> Review:
    """Take a review off the pages (the back office), a held one too; its target's rating is recomputed without
    it and its open reports are closed."""
    reason = _text(reason, field="hidden_reason", limit=240, required=True)
    review = Review.objects.select_for_update().get(pk=review_id)
    review.hidden_reason = reason
    states.transition(review, State.HIDDEN, actor=actor, reason=reason)
    _close_reports(review)
    refresh_target(review.target_kind, review.target_id)
    return review


@transaction.atomic
def show(*, actor: User | None, review_id: int, reason: str = "") -> Review:
    """Publish a hidden or held review (the operator found nothing wrong); its open reports are closed."""
    review = Review.objects.select_for_update().get(pk=review_id)
    review.hidden_reason = ""
    review.held_reason = ""
    states.transition(review, State.PUBLISHED, actor=actor, reason=reason or "shown again")
    _close_reports(review)
    refresh_target(review.target_kind, review.target_id)
    return review


@transaction.atomic
def dismiss_reports(*, actor: User | None, review_id: int, reason: str = "") -> Review:
    """The operator keeps a reported review as it is: its open reports are closed, and the decision recorded."""
    review = Review.objects.select_for_update().get(pk=review_id)
    closed = _close_reports(review)
    states.record(review, actor=actor, reason=reason or f"{closed} reports dismissed")
    return review


# --- other shoppers: helpful votes and reports ------------------------------------------------------------------


def _public_review(review_id: int) -> Review:
    review = Review.objects.select_for_update().filter(pk=review_id, state=State.PUBLISHED).first()
    if review is None:
        raise NotFound(gettext("Review not found."))
    return review


@transaction.atomic
def toggle_helpful(*, actor: User, review_id: int) -> tuple[Review, bool]:
    """The actor finds a published review helpful, or takes the vote back (one per person; not on one's own).
    Answers the review with its new count and whether the actor's vote now stands."""
    _signed_in(actor)
    review = _public_review(review_id)
    if review.author_id == actor.pk:
        raise PermissionDenied(gettext("You cannot vote for your own review."), code=Code.OWN_REVIEW)
    taken, _ = HelpfulVote.objects.filter(review=review, user=actor).delete()
    if taken:
        Review.objects.filter(pk=review.pk, helpful_count__gt=0).update(helpful_count=F("helpful_count") - 1)
    else:
        try:
            with transaction.atomic():
                HelpfulVote.objects.create(review=review, user=actor)
        except IntegrityError:  # the same person's second click at the same moment: their vote stands once
            review.refresh_from_db(fields=["helpful_count"])
            return review, True
        Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
    review.refresh_from_db(fields=["helpful_count"])
    return review, not taken


MAX_REPORT_NOTE = 500


@transaction.atomic
def report(*, actor: User, review_id: int, reason: str, note: str = "") -> ReviewReport:
    """The actor tells the operator a published review breaks the rules (once per person and review): the review
    moves up the back office's moderation queue; it stays on the page until the operator decides."""
    _signed_in(actor)
    if reason not in ReviewReport.Reason.values:
        raise ValidationFailed(
            gettext("Choose a reason: %(reasons)s.") % {"reasons": ", ".join(ReviewReport.Reason.values)},
            field="reason",
        )
    note = _text(note, field="note", limit=MAX_REPORT_NOTE)
    review = _public_review(review_id)
    if review.author_id == actor.pk:
        raise PermissionDenied(gettext("You cannot report your own review."), code=Code.OWN_REVIEW)
    if ReviewReport.objects.filter(review=review, reporter=actor, resolved_at__isnull=True).exists():
        raise Conflict(gettext("You have reported this review already."), code=Code.ALREADY_REPORTED)
    ReviewReport.objects.filter(review=review, reporter=actor).delete()  # a closed earlier report: a new one
    found = ReviewReport.objects.create(review=review, reporter=actor, reason=reason, note=note)
    Review.objects.filter(pk=review.pk).update(open_reports=F("open_reports") + 1)
    states.record(review, actor=actor, reason=f"reported: {reason}")
    return found


@transaction.atomic
def record_revoked(*, record_kind: str, record_id: int, actor: User | None = None) -> Review | None:
    """The record no longer proves a visit (a mistaken redemption undone): its review, if any, leaves the pages and
    the target's rating. For the modes to call from the step that undoes the record."""
    review = Review.objects.select_for_update().filter(record_kind=record_kind, record_id=record_id).first()
    if review is None or review.state == State.HIDDEN:
        return review
    review.hidden_reason = gettext("The visit it was written for was undone.")
    states.transition(review, State.HIDDEN, actor=actor, reason=REVOKED)
    refresh_target(review.target_kind, review.target_id)
    return review


def _hidden_by_revocation(review: Review) -> bool:
    last = states.history(review).order_by("-id").first()
    return last is not None and last.reason == REVOKED


@transaction.atomic
def record_restored(*, record_kind: str, record_id: int, actor: User | None = None) -> Review | None:
    """The record proves a visit again (a voucher redeemed again after an undo): the review its revocation hid comes
    back, about the visit the record proves now (its place and time) and editable for TRADELOOP_REVIEW_EDIT_DAYS
    from now, so the author can bring it in line. The record keeps its one review; one the operator hid stays hidden."""
    review = Review.objects.select_for_update().filter(record_kind=record_kind, record_id=record_id).first()
    if review is None or review.state != State.HIDDEN or not _hidden_by_revocation(review):
        return review
    record = records.resolve(record_kind, record_id, review.author)
    if record is None or record.author_id != review.author_id:
        return review
    before = (review.target_kind, review.target_id)
    review.target_kind, review.target_id, review.visited_at = record.target_kind, record.target_id, record.visited_at
    review.editable_until = max(review.editable_until, clock.now() + edit_days())
    review.hidden_reason = ""
    review.save(update_fields=["target_kind", "target_id", "visited_at", "editable_until"])
    states.transition(review, State.PUBLISHED, actor=actor, reason="record restored")
    if before != (review.target_kind, review.target_id):
        refresh_target(*before)
    refresh_target(review.target_kind, review.target_id)
    return review
