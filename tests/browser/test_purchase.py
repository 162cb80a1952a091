"""The whole purchase in a browser: browse → product → add to cart (as a guest) → cart → sign in (the cart follows)
→ checkout (address, shipping) → coupon → the sandbox gateway's page → Pay → the confirmation says Paid.

Then the merchant's side: the order on the order desk and the stock it took. Screenshots feed docs/b2c.md.
"""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from tests import factories
from tradeloop.catalog import services as catalog
from tradeloop.demo.pictures import picture
from tradeloop.fulfilment.models import ShippingMethod
from tradeloop.inventory.models import Stock
from tradeloop.orders.models import Order
from tradeloop.promotions import services as promotions


def with_picture(product, text: str, colours: tuple[str, str], motif: str):
    upload = SimpleUploadedFile(f"{product.slug}.jpg", picture(text, colours=colours, motif=motif), "image/jpeg")
    catalog.add_image(actor=product.seller.owner, product=product, upload=upload, alt=product.title)
    return product


def a_shop():
    tea_house = factories.seller_with_owner(kind="merchant", name="West Lake Tea")
    tea_house.city = "Hangzhou"
    tea_house.save()
    longjing = factories.published_product(tea_house, title="Longjing green tea, 250 g", price="88.00", stock=12)
    with_picture(longjing, "Longjing", ("#d9f2d0", "#4f8a3c"), "box")
    cup = factories.published_product(tea_house, title="Celadon teacup", price="36.00", stock=30)
    with_picture(cup, "Teacup", ("#e0f0ee", "#5b9a8b"), "box")
    ShippingMethod.objects.create(seller=tea_house, name="SF Express", rate=Decimal("12"), delivery_days=2)
    ShippingMethod.objects.create(seller=tea_house, name="China Post", rate=Decimal("6"), delivery_days=5)
    promotions.create_promotion(
        actor=tea_house.owner,
        seller=tea_house,
        data=promotions.PromotionInput(name="Welcome gift", kind="fixed", value=Decimal("15"), code="WELCOME15"),
    )
    orchard = factories.seller_with_owner(kind="merchant", name="Yantai Orchard")
    apples = factories.published_product(orchard, title="Fuji apples, 5 kg", price="59.90", stock=40)
    with_picture(apples, "Fuji apples", ("#ffe3d6", "#c2410c"), "fruit")
    return tea_house, longjing


def test_a_guest_buys_signs_in_pays_and_sees_the_order_paid(
    live_server, page: Page, screenshot, settings, celery_eager
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the sandbox hands its signed webhook over in-process
    tea_house, longjing = a_shop()
    buyer = factories.UserFactory(email="mei@example.com", name="Mei")
    base = live_server.url

    page.goto(f"{base}/products/?q=Longjing")
    page.get_by_role("link", name=re.compile("Longjing green tea")).first.click()
    page.get_by_label("Quantity").fill("2")
    screenshot("b2c-01-product")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("Added 2 × Longjing green tea, 250 g to your cart.")).to_be_visible()
    expect(page.locator("[data-cart-count]")).to_have_text("2")

    page.goto(f"{base}/products/?q=apples")
    page.get_by_role("link", name=re.compile("Fuji apples")).first.click()
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="View cart").click()
    expect(page.get_by_role("heading", name="West Lake Tea")).to_be_visible()
    expect(page.get_by_role("heading", name="Yantai Orchard")).to_be_visible()
    screenshot("b2c-02-cart")

    page.get_by_role("link", name="Check out").click()  # a guest is asked to sign in; the cart comes along
    page.get_by_label("E-mail").fill(buyer.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Checkout", exact=True)).to_be_visible()
    expect(page.locator("[data-cart-count]")).to_have_text("3")

    page.get_by_role("link", name="Add an address").click()
    page.get_by_label("Recipient").fill("Mei Lin")
    page.get_by_label("Phone").fill("13800138000")
    page.get_by_label("Address", exact=True).fill("18 Nanshan Road")
    page.get_by_label("City").fill("Hangzhou")
    page.get_by_role("button", name="Save address").click()
    expect(page.get_by_label(re.compile("Mei Lin"))).to_be_checked()

    tea = page.locator(f'[data-seller="{tea_house.slug}"]')
    tea.get_by_label("Shipping").select_option(label="China Post (5 days)")
    expect(tea.get_by_role("row", name=re.compile("Shipping · China Post"))).to_be_visible()
    page.get_by_label("Coupon codes").fill("welcome15")
    page.get_by_role("button", name="Apply").click()
    expect(tea.get_by_role("row", name=re.compile("Welcome gift"))).to_contain_text("-CN¥15.00")
    expect(page.locator("[data-total]")).to_have_text("CN¥226.90")  # 176 − 15 + 6, and 59.90 (delivery included)
    screenshot("b2c-03-checkout")

    page.get_by_role("button", name="Place order and pay").click()
    expect(page.get_by_role("heading", name="Sandbox payment")).to_be_visible()
    expect(page.get_by_text("CN¥226.90")).to_be_visible()
    screenshot("b2c-04-sandbox-payment")
    page.get_by_role("button", name="Pay", exact=True).click()

    expect(page.get_by_role("heading", name="Thank you, your order is paid")).to_be_visible()
    orders = list(Order.objects.filter(buyer=buyer).order_by("id"))
    assert [o.state for o in orders] == ["paid", "paid"]
    for order in orders:
        expect(page.locator(f'[data-order="{order.number}"]').locator("[data-state]")).to_have_text("Paid")
    expect(page.locator("[data-cart-count]")).to_have_text("0")
    screenshot("b2c-05-confirmation")

    tea_order = next(o for o in orders if o.seller_id == tea_house.pk)
    page.get_by_role("link", name=f"Order {tea_order.number}").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("WELCOME15"))).to_be_visible()
    screenshot("b2c-06-order-detail")

    seller_page = page.context.browser.new_context().new_page()
    seller_page.goto(f"{base}/accounts/login/")
    seller_page.get_by_label("E-mail").fill(tea_house.owner.email)
    seller_page.get_by_label("Password").fill(factories.PASSWORD)
    seller_page.get_by_role("button", name="Sign in").click()
    seller_page.goto(f"{base}/console/{tea_house.pk}/orders/")
    expect(seller_page.get_by_role("link", name=tea_order.number)).to_be_visible()
    seller_page.screenshot(path=str(_path("b2c-07-order-desk")), full_page=True)
    seller_page.goto(f"{base}/console/{tea_house.pk}/stock/")
    stock = Stock.objects.get(variant__product=longjing)
    assert (stock.on_hand, stock.reserved) == (10, 0)  # 12 − the 2 sold
    expect(seller_page.locator(f'[data-stock="{stock.pk}"]')).to_contain_text("Longjing")
    seller_page.screenshot(path=str(_path("b2c-08-stock")), full_page=True)
    seller_page.context.close()


def _path(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
