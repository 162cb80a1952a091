"""O2O: places, group-buy deals, vouchers redeemed in the shop, bookings, consumer requests.

A deal and a bookable service are catalog products (kinds `deal` and `service`, one SKU each) with what O2O adds
beside them; buying one is an `orders.Order` of mode o2o whose money the ledger holds in escrow: a voucher's share
leaves escrow for the merchant only when the voucher is redeemed (`Voucher` follows each unit). Every offline
visit leaves an integrity record (a redemption, a completed booking) and only that record lets a consumer review
the visit (`reviews`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.catalog.models import in_language
from tradeloop.core import clock
from tradeloop.core.fields import amount_field, currency_field


class Bilingual:
    """`localized(name)` reads the active language's text of a field pair `name` / `name_zh`, else the other's."""

    def localized(self, name: str, language: str | None = None) -> str:
        return in_language(getattr(self, name), getattr(self, f"{name}_zh"), language)


def place_photo_path(photo: PlacePhoto, filename: str) -> str:
    return f"places/{photo.place_id}/{filename}"


class Place(Bilingual, models.Model):
    """Where a local business serves its customers: one shop, salon or office with an address and a position."""

    seller = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="places")
    name = models.CharField(_("name (English)"), max_length=160, blank=True)
    name_zh = models.CharField(_("name (Simplified Chinese)"), max_length=160, blank=True)
    address = models.CharField(_("address (English)"), max_length=240, blank=True)
    address_zh = models.CharField(_("address (Simplified Chinese)"), max_length=240, blank=True)
    city = models.CharField(_("city (English)"), max_length=80)
    city_zh = models.CharField(_("city (Simplified Chinese)"), max_length=80, blank=True)
    district = models.CharField(_("district (English)"), max_length=80, blank=True)
    district_zh = models.CharField(_("district (Simplified Chinese)"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # the area index: a grid cell number computed from the position (o2o.places), so that a nearby search reads
    # only the cells its circle touches before it measures exact great-circle distances
    geo_cell = models.BigIntegerField(default=0)
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # {"mon": [["09:00", "21:00"]], "tue": [...], ...}; a missing day is closed
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    categories = models.ManyToManyField("catalog.Category", blank=True, related_name="places")
    cover = models.CharField(max_length=300, blank=True)
    # denormalised for lists and sorting (kept in step by o2o services and reviews)
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_score = models.DecimalField(max_digits=4, decimal_places=3, default=0)  # confidence-aware lower bound
    price_from = amount_field(null=True, blank=True, default=None)
    currency = currency_field()
    sold_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["-rating_score", "id"]
        indexes = [
            models.Index(fields=["geo_cell", "is_active"], name="place_cell"),
            models.Index(fields=["city", "is_active", "-rating_score"], name="place_city"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90) & Q(latitude__lte=90), name="place_lat_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180) & Q(longitude__lte=180), name="place_lng_range"),
            models.CheckConstraint(condition=~Q(name="") | ~Q(name_zh=""), name="place_has_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.localized("name")


class PlacePhoto(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=place_photo_path)
    alt = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("place photo")
        verbose_name_plural = _("place photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"photo {self.pk} of place {self.place_id}"


class AtExpiry(models.TextChoices):
    REFUND = "refund", _("Refund the buyer")
    FORFEIT = "forfeit", _("Forfeit (the merchant keeps it)")


class Deal(Bilingual, models.Model):
    """A group-buy deal: a catalog product of kind `deal` (its title, description, price and original price)."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("deal state", "Draft")
        LIVE = "live", pgettext_lazy("deal state", "On sale")
        ENDED = "ended", pgettext_lazy("deal state", "Ended")
        FAILED = "failed", pgettext_lazy("deal state", "Did not tip")
        WITHDRAWN = "withdrawn", pgettext_lazy("deal state", "Withdrawn")

    ALLOWED = {
        State.DRAFT: {State.LIVE, State.WITHDRAWN},
        State.LIVE: {State.ENDED, State.FAILED, State.WITHDRAWN},
    }
    TRANSITION_ALSO_SAVES = ("tipped_at",)

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="deal")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    places = models.ManyToManyField(Place, related_name="deals")
    sale_starts_at = models.DateTimeField(_("sale starts"))
    sale_ends_at = models.DateTimeField(_("sale ends"))
    voucher_valid_days = models.PositiveIntegerField(_("vouchers valid for (days)"), default=90)
    usage_rules = models.TextField(_("usage rules (English)"), blank=True)
    usage_rules_zh = models.TextField(_("usage rules (Simplified Chinese)"), blank=True)
    stock_cap = models.PositiveIntegerField(_("at most sold"), null=True, blank=True)  # None: no cap
    per_person_limit = models.PositiveIntegerField(_("per person at most"), default=5)
    tipping_point = models.PositiveIntegerField(_("tipping point (buyers)"), null=True, blank=True)
    sold_count = models.PositiveIntegerField(default=0)  # vouchers sold and not refunded (guarded updates only)
    buyer_count = models.PositiveIntegerField(default=0)  # distinct buyers with a paid voucher, for tipping
    tipped_at = models.DateTimeField(null=True, blank=True)
    refundable_any_time = models.BooleanField(_("unused vouchers refundable any time"), default=True)
    at_expiry = models.CharField(
        _("unused at expiry"), max_length=10, choices=AtExpiry.choices, default=AtExpiry.REFUND
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["sale_ends_at", "id"]
        indexes = [models.Index(fields=["state", "sale_ends_at"], name="deal_due")]
        constraints = [
            models.CheckConstraint(condition=Q(sale_ends_at__gt=models.F("sale_starts_at")), name="deal_window"),
            models.CheckConstraint(
                condition=Q(stock_cap__isnull=True) | Q(sold_count__lte=models.F("stock_cap")), name="deal_cap_kept"
            ),
            models.CheckConstraint(condition=Q(per_person_limit__gte=1), name="deal_limit_ge_1"),
        ]

    def __str__(self) -> str:
        return f"deal {self.pk} ({self.state})"

    @property
    def tips(self) -> bool:
        """Has no tipping point, or reached it."""
        return self.tipping_point is None or self.tipped_at is not None


class Voucher(models.Model):
    """One unit of a deal bought: an unguessable code the shop redeems once."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("voucher state", "Waiting for the deal to tip")
        VALID = "valid", pgettext_lazy("voucher state", "Ready to use")
        REDEEMED = "redeemed", pgettext_lazy("voucher state", "Used")
        REFUNDED = "refunded", pgettext_lazy("voucher state", "Refunded")
        EXPIRED = "expired", pgettext_lazy("voucher state", "Expired")

    ALLOWED = {
        State.PENDING: {State.VALID, State.REFUNDED},
        State.VALID: {State.REDEEMED, State.REFUNDED, State.EXPIRED},
        State.REDEEMED: {State.VALID},  # a mistaken redemption undone within the undo window
    }
    TRANSITION_ALSO_SAVES = ("redeemed_at", "redeemed_by", "redeemed_place", "closed_at")

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="vouchers")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="vouchers")
    line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="vouchers")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vouchers")
    code = models.CharField(max_length=32, unique=True)  # >= 80 bits from `secrets` (o2o.vouchers)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    price = amount_field(_("price paid"))
    currency = currency_field()
    valid_until = models.DateTimeField(_("valid until"))
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redeemed_place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)  # refunded or expired
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "valid_until"], name="voucher_due"),
            models.Index(fields=["buyer", "-created_at"], name="voucher_buyer"),
            models.Index(fields=["redeemed_place", "-redeemed_at"], name="voucher_redeemed"),
            models.Index(fields=["state", "redeemed_at"], name="voucher_redeemed_when"),  # review invitations
        ]

    def __str__(self) -> str:
        return f"voucher {self.pk} ({self.state})"


class FailedRedemption(models.Model):
    """A wrong code typed at a place: counted per staff account and place to rate-limit guessing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("failed redemption")
        verbose_name_plural = _("failed redemptions")
        indexes = [models.Index(fields=["user", "place", "created_at"], name="failed_redemption_window")]

    def __str__(self) -> str:
        return f"wrong code by {self.user_id} at {self.place_id}"


# ---------- bookings ----------


class Service(Bilingual, models.Model):
    """A bookable service: a catalog product of kind `service` (title, description, price) with a duration."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="service")
    places = models.ManyToManyField(Place, related_name="services")
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    deposit = amount_field(_("deposit"), null=True, blank=True, default=None)  # None: pay in the shop
    instant_confirm = models.BooleanField(_("confirm bookings instantly"), default=True)
    free_cancel_hours = models.PositiveIntegerField(_("free cancellation until (hours before)"), default=24)
    cancel_fee = amount_field(_("late cancellation fee"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="service_duration_ge_5"),
            models.CheckConstraint(condition=Q(cancel_fee__gte=0), name="service_fee_ge_0"),
        ]

    def __str__(self) -> str:
        return f"service {self.pk}"


class StaffMember(Bilingual, models.Model):
    """Who performs services at a place (a stylist, a cleaner); may have a staff account of the seller."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_zh = models.CharField(_("name (Simplified Chinese)"), max_length=120, blank=True)
    title = models.CharField(_("title (English)"), max_length=120, blank=True)
    title_zh = models.CharField(_("title (Simplified Chinese)"), max_length=120, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    services = models.ManyToManyField(Service, related_name="staff", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["place", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name="") | ~Q(name_zh=""), name="staff_has_name")]

    def __str__(self) -> str:
        return self.localized("name")


class WorkingHours(models.Model):
    """One span a staff member works on a weekday (0 = Monday), in the place's time zone."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["staff", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_range"),
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="hours_span"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} day {self.weekday} {self.starts}-{self.ends}"


class DayOff(models.Model):
    """A day a staff member does not work (a holiday, leave)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="days_off")
    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("day off")
        verbose_name_plural = _("days off")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["staff", "day"], name="day_off_once")]

    def __str__(self) -> str:
        return f"{self.staff_id} off {self.day}"


class Booking(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("booking state", "Waiting for the shop")
        CONFIRMED = "confirmed", pgettext_lazy("booking state", "Confirmed")
        DECLINED = "declined", pgettext_lazy("booking state", "Declined")
        LAPSED = "lapsed", pgettext_lazy("booking state", "Not answered in time")
        CANCELLED = "cancelled", pgettext_lazy("booking state", "Cancelled")
        COMPLETED = "completed", pgettext_lazy("booking state", "Completed")
        NO_SHOW = "no_show", pgettext_lazy("booking state", "No-show")

    HOLDS_SLOT = (State.REQUESTED, State.CONFIRMED)
    ALLOWED = {
        State.REQUESTED: {State.CONFIRMED, State.DECLINED, State.LAPSED, State.CANCELLED},
        State.CONFIRMED: {State.CANCELLED, State.COMPLETED, State.NO_SHOW},
    }
    TRANSITION_ALSO_SAVES = ("confirmed_at", "closed_at", "cancel_fee_charged")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="bookings")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="bookings")
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    price = amount_field(_("price"))
    currency = currency_field()
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    voucher = models.OneToOneField(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="booking")
    answer_by = models.DateTimeField(null=True, blank=True)  # a booking that waits for the shop lapses then
    confirmed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancel_fee_charged = amount_field(_("cancellation fee charged"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["staff", "starts_at"], name="booking_staff_time"),
            models.Index(fields=["place", "starts_at"], name="booking_place_time"),
            models.Index(fields=["state", "answer_by"], name="booking_due"),
            models.Index(fields=["consumer", "-starts_at"], name="booking_consumer"),
            models.Index(fields=["state", "closed_at"], name="booking_closed"),  # review invitations
        ]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="booking_span")]

    def __str__(self) -> str:
        return f"booking {self.pk} ({self.state})"


# ---------- consumer requests ----------


class ConsumerRequest(models.Model):
    """A local need a consumer posts ("a deep clean of a 90 m² flat on Saturday"); nearby merchants answer with
    offers through the negotiation engine (kind `request`, one negotiation per answering merchant)."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("request state", "Open")
        CHOSEN = "chosen", pgettext_lazy("request state", "Offer chosen")
        CLOSED = "closed", pgettext_lazy("request state", "Closed")
        EXPIRED = "expired", pgettext_lazy("request state", "Expired")

    ALLOWED = {State.OPEN: {State.CHOSEN, State.CLOSED, State.EXPIRED}}
    TRANSITION_ALSO_SAVES = ("closed_at",)

    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="o2o_requests")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    title = models.CharField(_("what you need"), max_length=160)
    details = models.TextField(_("details"), blank=True)
    wanted_at = models.DateTimeField(_("when"))
    city = models.CharField(_("city"), max_length=80)
    district = models.CharField(_("district"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    radius_km = models.PositiveIntegerField(_("within (km)"), default=5)
    budget = amount_field(_("budget"), null=True, blank=True, default=None)
    currency = currency_field()
    expires_at = models.DateTimeField(_("open until"))
    chosen = models.ForeignKey(
        "negotiation.Negotiation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("consumer request")
        verbose_name_plural = _("consumer requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_at"], name="request_due")]
        constraints = [models.CheckConstraint(condition=Q(radius_km__gte=1), name="request_radius_ge_1")]

    def __str__(self) -> str:
        return f"request {self.pk} ({self.state})"


class RequestAnswer(models.Model):
    """One merchant's answer to a request: the negotiation that carries its offer (and any counters)."""

    request = models.ForeignKey(ConsumerRequest, on_delete=models.CASCADE, related_name="answers")
    negotiation = models.OneToOneField("negotiation.Negotiation", on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("request answer")
        verbose_name_plural = _("request answers")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "seller"], name="request_answer_once")]

    def __str__(self) -> str:
        return f"answer {self.pk} to request {self.request_id}"
