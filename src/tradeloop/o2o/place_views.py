"""Web pages of places: /local/ (the local-services home: city, category, near me or a point on a map, radius,
sort; a dense card list that works without script and without map tiles), the place page, and the console desk
where a local business lists, adds and edits its places. Thin: forms parse, o2o.places decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.accounts.models import Organization
from tradeloop.analytics import visits
from tradeloop.core import page_cache
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.core.pagination import Page
from tradeloop.o2o import place_selectors as selectors
from tradeloop.o2o import places
from tradeloop.o2o.place_forms import DAY_LABELS, PlaceForm, SearchForm, attach

SECTION = "o2o:console_places"
CAPABILITY = "catalog.manage"
PER_PAGE = 24


# --- the local home -------------------------------------------------------------------------------------------------


def _search(form: SearchForm, cursor: str | None) -> tuple[Page, selectors.Point | None]:
    data = form.cleaned_data
    near = selectors.point_of(data["near"]) if data.get("near") else None
    radius = selectors.radius_of(data.get("radius_km") or selectors.DEFAULT_RADIUS_KM)
    page = selectors.search(
        near=near,
        radius_km=radius,
        city=data.get("city", ""),
        category=selectors.category_of(data.get("category")),
        sort=data.get("sort", ""),
        cursor=cursor,
        limit=PER_PAGE,
    )
    return page, near


@require_GET
def local_home(request: HttpRequest) -> HttpResponse:
    cities = selectors.cities()
    form = SearchForm(request.GET or None, cities=cities)
    page, near, status = Page(items=[], next_cursor=None), None, 200
    if not request.GET:
        form = SearchForm({"city": cities[0].city if cities else "", "radius_km": "3"}, cities=cities)
    if form.is_valid():
        try:
            page, near = _search(form, request.GET.get("cursor") or None)
        except ValidationFailed as exc:
            if exc.field == "cursor":  # a damaged or stale cursor: the first page
                page, near = _search(form, None)
            else:
                attach(form, exc)
                status = 400
    else:
        status = 400
    chosen_city = next((c for c in cities if c.city == form.data.get("city")), None)
    context = {
        "form": form,
        "page": page,
        "near": near,
        "cities": cities,
        "city": chosen_city,
        "categories": selectors.place_categories(),
        "category_slug": form.data.get("category", ""),
    }
    return render(request, "o2o/local_home.html", context, status=status)


# --- the place page -------------------------------------------------------------------------------------------------


def _near_or_none(text: str | None) -> selectors.Point | None:
    try:
        return selectors.point_of(text) if text else None
    except ValidationFailed:
        return None


@require_GET
def place_page(request: HttpRequest, place_id: int) -> HttpResponse:
    try:
        place = selectors.public_place(place_id, _near_or_none(request.GET.get("near")))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    visits.record_visit(request, "place", place.pk, place.seller_id)  # buffered: no database write
    page_cache.valid_until(request, places.next_change(place))  # "open now" and today's row follow the clock
    week = [(DAY_LABELS[d.day], d) for d in places.week(place)]
    context = {"place": place, "week": week, "open_now": places.is_open(place), "photos": list(place.photos.all())}
    return render(request, "o2o/place_detail.html", context)


# --- the console desk -----------------------------------------------------------------------------------------------


def _require_local_business(console: Console) -> None:
    """Only a local business has a places desk (the nav shows it to no other kind)."""
    if console.organization.kind != Organization.Kind.LOCAL_BUSINESS:
        raise Http404("not a local business")


@console_page(CAPABILITY, section=SECTION)
def console_places(request: HttpRequest, console: Console) -> HttpResponse:
    _require_local_business(console)
    kwargs = {"actor": request.user, "organization": console.organization, "limit": PER_PAGE}
    try:
        page = selectors.seller_places(cursor=request.GET.get("after") or None, **kwargs)
    except ValidationFailed:
        page = selectors.seller_places(**kwargs)
    return console.render(request, "o2o/console_places.html", {"page": page})


def _save_photos(request: HttpRequest, form: PlaceForm, place_id: int) -> bool:
    uploads = request.FILES.getlist("photos")
    if not uploads:
        return True
    try:
        places.add_photos(actor=request.user, place_id=place_id, photos=uploads)
    except DomainError as exc:
        form.add_error("photos", exc.message)
        return False
    return True


def _editor(request: HttpRequest, console: Console, place=None) -> HttpResponse:
    initial = PlaceForm.initial_of(place) if place else {}
    form = PlaceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if not form.errors:
            try:
                if place is None:
                    values.pop("is_active", None)
                    saved = places.create_place(actor=request.user, organization_id=console.organization.pk, **values)
                else:
                    saved = places.update_place(actor=request.user, place_id=place.pk, **values)
            except DomainError as exc:
                attach(form, exc)
            else:
                if _save_photos(request, form, saved.pk):
                    messages.success(request, gettext("The place is saved."))
                    return redirect("o2o:console_places", console.organization.pk)
                messages.warning(request, gettext("The place is saved, but a photo was refused."))
                return redirect("o2o:console_place_edit", console.organization.pk, saved.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "place": place, "photos": list(place.photos.all()) if place else []}
    return console.render(request, "o2o/console_place_form.html", context, status=status)


@console_page(CAPABILITY, section=SECTION)
def console_place_new(request: HttpRequest, console: Console) -> HttpResponse:
    _require_local_business(console)
    return _editor(request, console)


def _own_place(request: HttpRequest, console: Console, place_id: int):
    place = selectors.seller_place(actor=request.user, place_id=place_id)
    if place.seller_id != console.organization.pk:
        raise Http404("place not found")
    return place


@console_page(CAPABILITY, section=SECTION)
def console_place_edit(request: HttpRequest, console: Console, place_id: int) -> HttpResponse:
    _require_local_business(console)
    return _editor(request, console, _own_place(request, console, place_id))


@require_POST
@console_page(CAPABILITY, section=SECTION)
def console_photo_remove(request: HttpRequest, console: Console, place_id: int, photo_id: int) -> HttpResponse:
    place = _own_place(request, console, place_id)
    places.remove_photo(actor=request.user, place_id=place.pk, photo_id=photo_id)
    messages.success(request, gettext("Photo removed."))
    return redirect("o2o:console_place_edit", console.organization.pk, place.pk)
