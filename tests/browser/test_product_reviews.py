"""Product reviews in Chromium, only through the web pages: a buyer whose order was delivered opens the order → Review
your items → writes a review with stars, text and a photo → the merchant answers it on the console's Reviews desk →
another shopper, on a phone in Chinese, finds it on the product page and votes it helpful → the store's reputation
page, at 1280 and 390 px in both languages. TRADELOOP_DOCS_SHOTS=1 saves docs/images/insight/reviews*.png and reputation*.png."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.people import LAPTOP, PHONE, assert_fits, docs_shot, person_page
from tradeloop.demo.pictures import picture
from tradeloop.reviews.models import Review


def test_buyer_reviews_with_a_photo_merchant_answers_shopper_votes_helpful_reputation(
    live_server, browser: Browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    seller = factories.seller_with_owner(name="Hangzhou Tea House")
    product = factories.published_product(seller, title="Longjing green tea", price="88.00", stock=20)
    order = factories.delivered_order(seller=seller, items=[(product.variants.get(), 2)])
    photo = tmp_path / "tea.jpg"
    photo.write_bytes(picture("Longjing", colours=("#dcfce7", "#166534"), motif="leaf"))

    # the buyer: the delivered order → Review your items → Write a review with five stars, text and a photo
    buyer = person_page(browser, base, order.buyer.email)
    buyer.goto(f"{base}{reverse('orders:detail', args=[order.number])}")
    buyer.get_by_role("link", name="Review your items").click()
    buyer.get_by_role("link", name="Write a review").click()
    expect(buyer.get_by_text("Verified purchase").first).to_be_visible()
    buyer.locator("fieldset .star-picker label[for$='_0']").first.click()  # choices run 5 → 1: _0 is 5 stars
    buyer.get_by_label("Tell others about the product").fill("Fragrant, fresh leaves and a well-sealed tin.")
    buyer.locator("input[type=file]").set_input_files(str(photo))
    buyer.get_by_role("button", name="Publish the review").click()
    expect(buyer.get_by_text("your review is published")).to_be_visible()
    written = Review.objects.get()
    assert (written.stars, written.target_kind, written.photos.count()) == (5, "product", 1)

    # the merchant answers on the console's Reviews desk
    merchant = person_page(browser, base, seller.owner.email)
    merchant.goto(f"{base}{reverse('reviews:console_reviews', args=[seller.pk])}")
    merchant.get_by_label("Answer publicly").fill("Thank you! The spring harvest is in stock again.")
    merchant.get_by_role("button", name="Publish the answer").click()
    expect(merchant.get_by_text("Your answer is published under the review.")).to_be_visible()

    # the product page's reviews block, on a laptop in English
    product_url = f"{base}{reverse('storefront:product', args=[product.pk, product.slug])}"
    buyer.goto(product_url)
    block = buyer.locator("#reviews")
    expect(block.get_by_text("Fragrant, fresh leaves")).to_be_visible()
    expect(block.get_by_text("The spring harvest is in stock again.")).to_be_visible()
    block.scroll_into_view_if_needed()
    docs_shot(buyer, "reviews")

    # another shopper on a phone, in Chinese, votes it helpful
    shopper = person_page(browser, base, factories.UserFactory().email, language="zh-hans", viewport=PHONE)
    shopper.goto(product_url)
    review = shopper.locator(".review", has_text="Fragrant, fresh leaves")
    expect(review.get_by_text("已验证购买")).to_be_visible()
    review.get_by_role("button", name=re.compile("有用")).click()
    expect(shopper.locator(".review [data-helpful]").first).to_have_attribute("aria-pressed", "true")
    assert Review.objects.get(pk=written.pk).helpful_count == 1
    shopper.locator("#reviews").scroll_into_view_if_needed()
    assert_fits(shopper)
    docs_shot(shopper, "reviews-zh-phone")

    # the reputation page, linked from the product page's seller line
    buyer.goto(product_url)
    buyer.get_by_role("link", name="Reputation").click()
    expect(buyer.get_by_role("heading", name="Reputation of Hangzhou Tea House")).to_be_visible()
    expect(buyer.locator("[data-source=product]")).to_be_visible()
    docs_shot(buyer, "reputation")
    buyer.set_viewport_size(PHONE)
    buyer.reload()
    assert_fits(buyer)
    docs_shot(buyer, "reputation-phone")
    shopper.goto(f"{base}{reverse('reviews:reputation', args=[seller.slug])}")
    expect(shopper.get_by_role("heading", name=re.compile("信誉"))).to_be_visible()
    assert_fits(shopper)
    docs_shot(shopper, "reputation-zh-phone")
    shopper.set_viewport_size(LAPTOP)
    shopper.reload()
    docs_shot(shopper, "reputation-zh")
    for page in (buyer, merchant, shopper):
        page.context.close()
