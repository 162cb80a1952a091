"""The demo's local services in Nanjing, written through the services (idempotent: what exists is kept).

Qinhuai Hair Studio has two salons (Fuzimiao and Xinjiekou) with three stylists, a wash-and-cut deal valid at
both, a colour deal waiting to tip (30 buyers) and a bookable scalp treatment; Jinling Housekeeping has its office
in Gulou, two cleaners, a four-visit cleaning deal and three services. Chen Xiao (the consumer) has: two wash-and-cut
vouchers, one redeemed at Fuzimiao and reviewed (with the studio's answer), one ready to use; a colour voucher
waiting for the deal to tip; a scalp treatment booked for tomorrow afternoon, deposit paid; and a request for a
deep clean that Jinling Housekeeping answered with an offer. Two neighbours, Li Hua and Sam Wu, also bought the
weekly cleaning, so it tipped; Li Hua refunded a wash-and-cut voucher, Sam Wu let one expire; both come to the
salon today (a scalp treatment, a range hood cleaning at home), so the console calendars have today's bookings.

The deal and service products come from `content` (the loader made them, with pictures); this module gives them
their O2O side, the way the C2C demo gives listings theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock
from tradeloop.demo import content
from tradeloop.demo.paying import pay_in_sandbox
from tradeloop.demo.pictures import picture
from tradeloop.o2o import booking_selectors, bookings, deals, local_requests, places, redemption, staffing, vouchers
from tradeloop.o2o.models import Booking, ConsumerRequest, Deal, Place, Service, Voucher
from tradeloop.reviews import services as reviews
from tradeloop.reviews.models import Review

NANJING = ZoneInfo("Asia/Shanghai")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class PlaceRow:
    name: str
    name_zh: str
    address: str
    address_zh: str
    district: str
    district_zh: str
    at: tuple[float, float]
    phone: str
    hours: tuple[str, str]
    category: str


@dataclass(frozen=True)
class StaffRow:
    place: str  # PlaceRow.name
    name: str
    name_zh: str
    title: str
    title_zh: str
    services: tuple[str, ...]  # SKUs


@dataclass(frozen=True)
class DealRow:
    sku: str
    places: tuple[str, ...]
    rules: str
    rules_zh: str
    tipping_point: int | None = None
    per_person_limit: int = 5


@dataclass(frozen=True)
class ServiceRow:
    sku: str
    places: tuple[str, ...]
    minutes: int
    deposit: str | None = None
    instant_confirm: bool = True
    free_cancel_hours: int = 24
    cancel_fee: str = "0"


FUZIMIAO = "Qinhuai Hair Studio · Fuzimiao"
XINJIEKOU = "Qinhuai Hair Studio · Xinjiekou"
GULOU = "Jinling Housekeeping · Gulou"
SALON_PLACES = (
    PlaceRow(
        FUZIMIAO,
        "秦淮美发 · 夫子庙店",
        "36 Changle Road, Qinhuai District",
        "秦淮区长乐路36号",
        "Qinhuai",
        "秦淮区",
        (32.0205, 118.7886),
        "+86 25 5222 6036",
        ("10:00", "21:00"),
        "beauty-hair",
    ),
    PlaceRow(
        XINJIEKOU,
        "秦淮美发 · 新街口店",
        "2F, 88 Zhongshan Road, Xuanwu District",
        "玄武区中山路88号2楼",
        "Xuanwu",
        "玄武区",
        (32.0427, 118.7790),
        "+86 25 8470 1188",
        ("10:00", "22:00"),
        "beauty-hair",
    ),
)
HOUSEKEEPING_PLACES = (
    PlaceRow(
        GULOU,
        "金陵家政 · 鼓楼服务中心",
        "Room 201, 15 Zhongshan North Road, Gulou District",
        "鼓楼区中山北路15号201室",
        "Gulou",
        "鼓楼区",
        (32.0700, 118.7780),
        "+86 25 8663 2015",
        ("08:00", "20:00"),
        "housekeeping",
    ),
)
STAFF = (
    StaffRow(FUZIMIAO, "Xu Lei", "徐磊", "Senior stylist", "资深发型师", ("QH-SCALP",)),
    StaffRow(FUZIMIAO, "Zhao Min", "赵敏", "Stylist", "发型师", ("QH-SCALP",)),
    StaffRow(XINJIEKOU, "Sun Jie", "孙杰", "Art director", "艺术总监", ("QH-SCALP",)),
    StaffRow(GULOU, "Wang Fang", "王芳", "Cleaner", "保洁师", ("JL-DEEP", "JL-HOOD", "JL-MOVE")),
    StaffRow(GULOU, "Liu Min", "刘敏", "Senior cleaner", "高级保洁师", ("JL-DEEP", "JL-HOOD", "JL-MOVE")),
)
DEALS = (
    DealRow(
        "QH-CUT",
        (FUZIMIAO, XINJIEKOU),
        "One person per voucher. Walk in or book a time. Long hair +¥20.",
        "每张券限一人使用。可直接到店或预约。长发加收20元。",
    ),
    DealRow(
        "QH-COLOUR",
        (FUZIMIAO,),
        "Goes ahead when 30 people have bought it; otherwise everyone is refunded in full.",
        "满30人购买即成团；未成团全额退款。",
        tipping_point=30,
        per_person_limit=2,
    ),
    DealRow(
        "JL-WEEKLY",
        (GULOU,),
        "Four visits of 2 hours; one voucher per visit. Book 24 hours ahead. Goes ahead with 3 buyers.",
        "共4次，每次2小时；每次上门核销一张。请提前24小时预约。满3人成团。",
        tipping_point=3,
        per_person_limit=1,
    ),
)
SERVICES = (
    ServiceRow("QH-SCALP", (FUZIMIAO, XINJIEKOU), 60, deposit="50.00", cancel_fee="30.00"),
    ServiceRow("JL-DEEP", (GULOU,), 180, deposit="100.00", instant_confirm=False, cancel_fee="50.00"),
    ServiceRow("JL-HOOD", (GULOU,), 90),
    ServiceRow("JL-MOVE", (GULOU,), 240, deposit="100.00", free_cancel_hours=48, cancel_fee="100.00"),
)


def _owner(org: Organization) -> User:
    return org.memberships.select_related("user").get(role__code="owner").user


def _product(sku: str) -> Product:
    return Product.objects.get(variants__sku=sku)


def _photo(place: Place, row: PlaceRow) -> None:
    """A cover drawn like the demo's product pictures: the place's district under its category's motif."""
    colours, motif = next((c[4], c[5]) for c in content.CATEGORIES if c[0] == row.category)
    jpeg = picture(row.district, colours=colours, motif=motif)
    upload = SimpleUploadedFile(f"{row.district.lower()}.jpg", jpeg, content_type="image/jpeg")
    places.add_photos(actor=_owner(place.seller), place_id=place.pk, photos=[upload], alt=row.name)


def _places(org: Organization, rows: tuple[PlaceRow, ...]) -> dict[str, Place]:
    made = {}
    for row in rows:
        found = Place.objects.filter(seller=org, name=row.name).first()
        if found is None:
            found = _place(org, row)
            _photo(found, row)
        made[row.name] = found
    return made


def _place(org: Organization, row: PlaceRow) -> Place:
    return places.create_place(
        actor=_owner(org),
        organization_id=org.pk,
        name=row.name,
        name_zh=row.name_zh,
        address=row.address,
        address_zh=row.address_zh,
        city="Nanjing",
        city_zh="南京",
        district=row.district,
        district_zh=row.district_zh,
        latitude=row.at[0],
        longitude=row.at[1],
        time_zone="Asia/Shanghai",
        phone=row.phone,
        opening_hours={day: [list(row.hours)] for day in DAYS},
        categories=[row.category],
    )


def _deal_rows(at: dict[str, Place]) -> None:
    now = clock.now()
    for row in DEALS:
        product = _product(row.sku)
        if row.places[0] not in at or hasattr(product, "deal"):
            continue
        deal = Deal.objects.create(
            product=product,
            state=Deal.State.LIVE,
            sale_starts_at=now - timedelta(days=3),
            sale_ends_at=now + timedelta(days=27, hours=5),
            usage_rules=row.rules,
            usage_rules_zh=row.rules_zh,
            tipping_point=row.tipping_point,
            per_person_limit=row.per_person_limit,
        )
        deal.places.set(at[name] for name in row.places)


def _service_rows(at: dict[str, Place]) -> None:
    for row in SERVICES:
        product = _product(row.sku)
        if row.places[0] not in at or hasattr(product, "service"):
            continue
        service = Service.objects.create(
            product=product,
            duration_minutes=row.minutes,
            deposit=Decimal(row.deposit) if row.deposit else None,
            instant_confirm=row.instant_confirm,
            free_cancel_hours=row.free_cancel_hours,
            cancel_fee=Decimal(row.cancel_fee),
        )
        service.places.set(at[name] for name in row.places)


def _staff(org: Organization, at: dict[str, Place]) -> None:
    owner = _owner(org)
    for row in STAFF:
        place = at.get(row.place)
        if place is None or place.staff.filter(name=row.name).exists():
            continue
        service_ids = list(Service.objects.filter(product__variants__sku__in=row.services).values_list("pk", flat=True))
        person = staffing.save_staff(
            actor=owner,
            org=org,
            data=staffing.StaffData(
                place_id=place.pk,
                name=row.name,
                name_zh=row.name_zh,
                title=row.title,
                title_zh=row.title_zh,
                service_ids=service_ids,
            ),
        )
        starts, ends = place.opening_hours["mon"][0]
        staffing.set_hours(actor=owner, org=org, staff_id=person.pk, hours=[(day, starts, ends) for day in range(7)])


def _vouchers(buyer: User, sku: str, quantity: int) -> list[Voucher]:
    deal = _product(sku).deal
    mine = list(Voucher.objects.filter(buyer=buyer, deal=deal).order_by("pk"))
    if mine:
        return mine
    pay_in_sandbox(deals.buy(actor=buyer, deal_id=deal.pk, quantity=quantity), buyer)
    return list(Voucher.objects.filter(buyer=buyer, deal=deal).order_by("pk"))


def _refunded(voucher: Voucher) -> None:
    if voucher.state == Voucher.State.VALID:
        vouchers.refund(actor=voucher.buyer, voucher_id=voucher.pk)


def _expired(voucher: Voucher) -> None:
    if voucher.state == Voucher.State.VALID:
        Voucher.objects.filter(pk=voucher.pk).update(valid_until=clock.now() - timedelta(minutes=1))
        vouchers.sweep_expired_vouchers(clock.now())


def _redeemed_and_reviewed(voucher: Voucher, at: Place) -> None:
    owner = _owner(at.seller)
    if voucher.state == Voucher.State.VALID:
        voucher = redemption.redeem(actor=owner, place_id=at.pk, code=voucher.code)
    if Review.objects.filter(record_kind="voucher", record_id=voucher.pk).exists():
        return
    review = reviews.write_review(
        actor=voucher.buyer,
        record_kind="voucher",
        record_id=voucher.pk,
        stars=5,
        scores={"service": 5, "environment": 4, "value": 5},
        text="徐磊剪得很细致，洗头也舒服，团购很划算。Xu Lei took his time and the wash was lovely — great value.",
        language="zh-hans",
    )
    reviews.reply(actor=owner, review_id=review.pk, text="谢谢陈晓！下次见。Thank you, see you next time!")


def _booked(buyer: User, sku: str, at: Place) -> None:
    service = _product(sku).service
    if Booking.objects.filter(consumer=buyer, service=service).exists():
        return
    tomorrow = clock.now().astimezone(NANJING).date() + timedelta(days=1)
    starts = datetime.combine(tomorrow, time(14, 0), tzinfo=NANJING)
    booking = bookings.book(
        actor=buyer, service_id=service.pk, place_id=at.pk, starts_at=starts, note="短发，想修一下层次。"
    )
    if booking.order is not None:
        pay_in_sandbox(booking.order, buyer)


def _booked_today(consumer: User, sku: str, at: Place) -> None:
    """The first free slot left today (none late in the evening: then nothing is booked)."""
    service = _product(sku).service
    if Booking.objects.filter(consumer=consumer, service=service).exists():
        return
    today = booking_selectors.today_at(at)
    slots = booking_selectors.free_slots(service, at, today)
    if not slots:
        return
    booking = bookings.book(actor=consumer, service_id=service.pk, place_id=at.pk, starts_at=slots[0].starts_at)
    if booking.order is not None:
        pay_in_sandbox(booking.order, consumer)


def _request_answered(buyer: User, housekeeping: Organization, at: Place) -> None:
    if ConsumerRequest.objects.filter(consumer=buyer).exists():
        return
    saturday = clock.now().astimezone(NANJING).date()
    saturday += timedelta(days=(5 - saturday.weekday()) % 7 or 7)
    request = local_requests.post_request(
        actor=buyer,
        category_id=Category.objects.get(slug="housekeeping").pk,
        title="Deep clean of a 90 m² flat on Saturday · 周六 90 平米深度保洁",
        details="Two bedrooms, kitchen and two bathrooms; we have a cat. 两室，厨房和两个卫生间；家里有猫。",
        wanted_at=datetime.combine(saturday, time(9, 0), tzinfo=NANJING),
        latitude=32.0563,
        longitude=118.7794,
        city="Nanjing",
        district="Gulou",
        radius_km=5,
        budget=Decimal("300.00"),
    )
    local_requests.answer(
        actor=_owner(housekeeping),
        request_id=request.pk,
        seller=housekeeping,
        place_id=at.pk,
        service_id=_product("JL-DEEP").pk,
        price=Decimal("280.00"),
        message="Two cleaners for 3 hours, pet-safe products. 两位保洁师3小时，使用宠物安全的清洁剂。",
        proposed_at=request.wanted_at,
    )


def load(*, salon: Organization, housekeeping: Organization, buyer: User, neighbours: list[User]) -> None:
    salon_places = _places(salon, SALON_PLACES)
    housekeeping_places = _places(housekeeping, HOUSEKEEPING_PLACES)
    for org, at in ((salon, salon_places), (housekeeping, housekeeping_places)):
        _deal_rows(at)
        _service_rows(at)
        _staff(org, at)
        deals.refresh_place_prices(place.pk for place in at.values())  # "from ¥68" on the place cards
    cut_vouchers = _vouchers(buyer, "QH-CUT", 2)
    _redeemed_and_reviewed(cut_vouchers[0], salon_places[FUZIMIAO])
    _vouchers(buyer, "QH-COLOUR", 1)  # waits for 30 buyers
    for person in (buyer, *neighbours):
        _vouchers(person, "JL-WEEKLY", 1)  # the third buyer tips it
    li_hua, sam_wu = neighbours
    _refunded(_vouchers(li_hua, "QH-CUT", 1)[0])
    _expired(_vouchers(sam_wu, "QH-CUT", 1)[0])
    _booked(buyer, "QH-SCALP", salon_places[FUZIMIAO])
    _booked_today(li_hua, "QH-SCALP", salon_places[FUZIMIAO])
    _booked_today(sam_wu, "JL-HOOD", housekeeping_places[GULOU])
    _request_answered(buyer, housekeeping, housekeeping_places[GULOU])
