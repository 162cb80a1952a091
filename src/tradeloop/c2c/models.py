"""C2C: private listings, escrow until receipt, disputes, two-way ratings, seller standing, watching.

A listing is a catalog product of kind `listing` (one SKU, stock 1, a condition) with what C2C adds beside it; an
offer is a negotiation of kind `offer` on that product; the order is an `orders.Order` of mode c2c whose money the
ledger holds in escrow (`Escrow` here follows it) until the buyer confirms receipt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class DeliverySpeed(models.TextChoices):
    """How the goods travel; it sets how long the buyer has to confirm receipt after shipment."""

    EXPRESS = "express", _("Express courier")
    POST = "post", _("Ordinary post")
    VIRTUAL = "virtual", _("Virtual goods / hand-over")


class Listing(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("listing state", "Active")
        SOLD = "sold", pgettext_lazy("listing state", "Sold")
        EXPIRED = "expired", pgettext_lazy("listing state", "Expired")
        WITHDRAWN = "withdrawn", pgettext_lazy("listing state", "Withdrawn")

    ALLOWED = {
        State.ACTIVE: {State.SOLD, State.EXPIRED, State.WITHDRAWN},
        State.SOLD: {State.ACTIVE},  # the sale fell through (cancelled, refunded): on sale again
        State.EXPIRED: {State.ACTIVE, State.WITHDRAWN},  # renewed
        State.WITHDRAWN: {State.ACTIVE},
    }
    TRANSITION_ALSO_SAVES = ("expires_at",)

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="listing")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    city = models.CharField(_("city"), max_length=80)
    district = models.CharField(_("district"), max_length=80, blank=True)
    ships = models.BooleanField(_("ships"), default=True)
    delivery_speed = models.CharField(
        _("delivery"), max_length=10, choices=DeliverySpeed.choices, default=DeliverySpeed.EXPRESS
    )
    shipping_fee = amount_field(_("shipping fee"))
    local_pickup = models.BooleanField(_("local pickup"), default=False)
    # the seller's standing orders for offers: at or above accept, below decline (either may be empty)
    auto_accept_at = amount_field(_("auto-accept offers from"), null=True, blank=True, default=None)
    auto_decline_below = amount_field(_("auto-decline offers below"), null=True, blank=True, default=None)
    expires_at = models.DateTimeField(_("expires at"))
    renewals = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_at"], name="listing_due")]
        constraints = [
            models.CheckConstraint(condition=Q(ships=True) | Q(local_pickup=True), name="listing_can_change_hands"),
            models.CheckConstraint(condition=Q(shipping_fee__gte=0), name="listing_shipping_ge_0"),
            models.CheckConstraint(
                condition=Q(auto_accept_at__isnull=True)
                | Q(auto_decline_below__isnull=True)
                | Q(auto_decline_below__lte=models.F("auto_accept_at")),
                name="listing_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"listing {self.pk} ({self.state})"


class ProhibitedCategory(models.Model):
    """A category private sellers may not list in (weapons, medicines, …); its subtree too."""

    category = models.OneToOneField("catalog.Category", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason (English)"), max_length=200)
    reason_zh = models.CharField(_("reason (Simplified Chinese)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("prohibited category")
        verbose_name_plural = _("prohibited categories")

    def __str__(self) -> str:
        return str(self.category)


class Escrow(models.Model):
    """The buyer's money for one C2C order, held by the platform (ledger account `platform:escrow:<cur>`) from
    payment until receipt is confirmed, a dispute is resolved, or the order is cancelled."""

    class State(models.TextChoices):
        HELD = "held", _("Held")
        DISPUTED = "disputed", _("Disputed")
        RELEASED = "released", _("Released to the seller")
        REFUNDED = "refunded", _("Refunded to the buyer")
        SPLIT = "split", _("Split")

    ALLOWED = {
        State.HELD: {State.DISPUTED, State.RELEASED, State.REFUNDED},
        State.DISPUTED: {State.HELD, State.RELEASED, State.REFUNDED, State.SPLIT},
    }
    CLOSED = (State.RELEASED, State.REFUNDED, State.SPLIT)
    TRANSITION_ALSO_SAVES = ("confirm_by", "paused_for", "closed_at")

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="escrow")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.HELD)
    amount = amount_field(_("amount held"))
    currency = currency_field()
    delivery_speed = models.CharField(max_length=10, choices=DeliverySpeed.choices, default=DeliverySpeed.EXPRESS)
    confirm_by = models.DateTimeField(_("receipt auto-confirmed at"), null=True, blank=True)  # set at shipment
    paused_for = models.DurationField(null=True, blank=True)  # what was left of the clock when a dispute opened
    extended = models.BooleanField(default=False)  # the buyer's one extension was used
    held_at = models.DateTimeField(default=clock.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("escrow")
        verbose_name_plural = _("escrows")
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["state", "confirm_by"], name="escrow_due")]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="escrow_amount_ge_0")]

    def __str__(self) -> str:
        return f"escrow of order {self.order_id} ({self.state})"


class Dispute(models.Model):
    class Reason(models.TextChoices):
        NOT_RECEIVED = "not_received", _("Not received")
        NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
        COUNTERFEIT = "counterfeit", _("Counterfeit")

    class State(models.TextChoices):
        AWAITING_SELLER = "awaiting_seller", _("Waiting for the seller")
        ANSWERED = "answered", _("Seller answered")
        ESCALATED = "escalated", _("With the platform")
        RETURNING = "returning", _("Item being returned")
        RESOLVED = "resolved", _("Resolved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Outcome(models.TextChoices):
        FULL_REFUND = "full_refund", _("Full refund")
        PARTIAL_REFUND = "partial_refund", _("Partial refund")
        RELEASE = "release", _("Released to the seller")
        RETURN_THEN_REFUND = "return_then_refund", _("Return, then refund")

    ALLOWED = {
        State.AWAITING_SELLER: {State.ANSWERED, State.ESCALATED, State.RESOLVED, State.WITHDRAWN},
        State.ANSWERED: {State.ESCALATED, State.RESOLVED, State.WITHDRAWN},
        State.ESCALATED: {State.RESOLVED, State.RETURNING, State.WITHDRAWN},
        State.RETURNING: {State.RESOLVED},
    }
    OPEN = (State.AWAITING_SELLER, State.ANSWERED, State.ESCALATED, State.RETURNING)
    TRANSITION_ALSO_SAVES = ("resolved_at", "outcome", "refund_amount", "resolved_by", "return_due")

    escrow = models.ForeignKey(Escrow, on_delete=models.PROTECT, related_name="disputes")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    description = models.TextField(_("what happened"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.AWAITING_SELLER)
    answer_by = models.DateTimeField(_("seller answers by"))
    opened_at = models.DateTimeField(default=clock.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    refund_amount = amount_field(_("refunded"), null=True, blank=True, default=None)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    return_carrier = models.CharField(max_length=60, blank=True)
    return_tracking = models.CharField(max_length=60, blank=True)
    return_due = models.DateTimeField(null=True, blank=True)  # return_then_refund: refunded by then unless refused

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "answer_by"], name="dispute_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["escrow"],
                condition=Q(state__in=["awaiting_seller", "answered", "escalated", "returning"]),
                name="one_open_dispute_per_escrow",
            ),
            models.CheckConstraint(
                condition=Q(refund_amount__isnull=True) | Q(refund_amount__gte=0), name="dispute_refund_ge_0"
            ),
        ]

    def __str__(self) -> str:
        return f"dispute {self.pk} ({self.state})"


class DisputeMessage(models.Model):
    class Side(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        SELLER = "seller", _("Seller")
        PLATFORM = "platform", _("Platform")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    text = models.TextField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("dispute message")
        verbose_name_plural = _("dispute messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.side} on dispute {self.dispute_id}"


class DisputePhoto(models.Model):
    message = models.ForeignKey(DisputeMessage, on_delete=models.CASCADE, related_name="photos")
    image = models.CharField(max_length=300)  # a path under MEDIA_ROOT, written by c2c.disputes

    class Meta:
        verbose_name = _("dispute photo")
        verbose_name_plural = _("dispute photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image


class Rating(models.Model):
    """One side's rating of the other after a completed C2C order. Double-blind: hidden until both sides rated or
    the rating window passed (`visible_from`)."""

    class Side(models.TextChoices):
        BUYER = "buyer", _("Buyer")  # the buyer rates the seller
        SELLER = "seller", _("Seller")  # the seller rates the buyer

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="ratings")
    side = models.CharField(max_length=6, choices=Side.choices)
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # who is rated: the seller organization (side buyer) or the buying person (side seller)
    ratee_org = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="c2c_ratings"
    )
    ratee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="c2c_ratings"
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    text = models.TextField(_("text"), blank=True)
    as_described = models.PositiveSmallIntegerField(_("item as described"), null=True, blank=True)
    communication = models.PositiveSmallIntegerField(_("communication"), null=True, blank=True)
    shipping = models.PositiveSmallIntegerField(_("shipping"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    visible_from = models.DateTimeField()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["ratee_org", "visible_from"], name="rating_of_seller"),
            models.Index(fields=["ratee_user", "visible_from"], name="rating_of_buyer"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "side"], name="one_rating_per_side"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_5"),
            models.CheckConstraint(
                condition=(Q(ratee_org__isnull=False) & Q(ratee_user__isnull=True))
                | (Q(ratee_org__isnull=True) & Q(ratee_user__isnull=False)),
                name="rating_one_ratee",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"rating_{name}_1_5",
                )
                for name in ("as_described", "communication", "shipping")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ by the {self.side} of order {self.order_id}"


class SellerStanding(models.Model):
    """A private seller's level, recomputed from its record (c2c.standing.refresh) whenever that record changes."""

    class Level(models.TextChoices):
        NEW = "new", _("New seller")
        GOOD = "good", _("Good seller")
        TOP = "top", _("Top seller")
        BELOW = "below", _("Below standard")

    seller = models.OneToOneField("accounts.Organization", on_delete=models.CASCADE, related_name="c2c_standing")
    level = models.CharField(_("level"), max_length=6, choices=Level.choices, default=Level.NEW)
    completed_sales = models.PositiveIntegerField(default=0)
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    dispute_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    late_shipment_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    refreshed_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("seller standing")
        verbose_name_plural = _("seller standings")

    def __str__(self) -> str:
        return f"{self.seller_id}: {self.level}"


class Watch(models.Model):
    """A buyer watches a listing: told when its price drops."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="c2c_watches")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    price_seen = amount_field()  # the asking price last told (or when watching began)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("watched listing")
        verbose_name_plural = _("watched listings")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="watch_once")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.product_id}"


class SavedSearch(models.Model):
    """A buyer's saved listing search: told about new listings that match it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="c2c_saved_searches")
    query = models.CharField(_("words"), max_length=120, blank=True)
    category = models.ForeignKey("catalog.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    max_price = amount_field(_("up to"), null=True, blank=True, default=None)
    city = models.CharField(_("city"), max_length=80, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.query or str(self.category_id)


class Alert(models.Model):
    """What a buyer was told about a watched listing or a saved search (shown on their watching page)."""

    class Kind(models.TextChoices):
        PRICE_DROP = "price_drop", _("Price drop")
        NEW_MATCH = "new_match", _("New match")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="c2c_alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    saved_search = models.ForeignKey(SavedSearch, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    old_price = amount_field(null=True, blank=True, default=None)
    new_price = amount_field(null=True, blank=True, default=None)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="alert_unread")]
        constraints = [
            # one alert per saved search and listing; price drops are told once per new price
            models.UniqueConstraint(
                fields=["user", "product", "saved_search"], condition=Q(kind="new_match"), name="alert_match_once"
            ),
            models.UniqueConstraint(
                fields=["user", "product", "new_price"], condition=Q(kind="price_drop"), name="alert_drop_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
