"""Simplified Chinese: the pages people use speak it, and the catalogue keeps up with the code.

When a test here fails because of new or changed text, update the catalogue (gettext tools needed) and
translate what it lists, then commit both files:

    cd src/tradeloop && DJANGO_SETTINGS_MODULE=tradeloop.settings PYTHONPATH=../../src \\
        ../../.venv/bin/python -P -m django makemessages -l zh_Hans --ignore "migrations/*" --ignore "static/*" --no-obsolete
    msgfmt --check -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po
"""

import contextlib
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from django.urls import reverse
from django.utils.translation.template import templatize

import tradeloop
from tests import factories

PACKAGE = Path(tradeloop.__file__).parent
MESSAGES = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"
# The gettext functions Django's makemessages looks for, with where their message, plural and context are.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def load_po():
    with contextlib.redirect_stdout(io.StringIO()), open(MESSAGES / "django.po", "rb") as f:  # babel prints warnings
        return read_po(f, locale="zh_Hans")


def message_key(message) -> tuple:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid)


def translated(catalog) -> dict:
    """{(context, msgid): translation} for every real (non-header, non-fuzzy) message with a translation."""
    out = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if all(strings):
            out[message_key(message)] = tuple(strings)
    return out


def source_messages() -> set[tuple]:
    """(context, msgid) of every string marked for translation in the package's Python files and templates."""
    found = set()
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] in ("static", "locale") or "migrations" in parts or "__pycache__" in parts:
            continue
        if path.suffix == ".py":
            source = path.read_bytes()
        elif path.suffix in (".html", ".txt"):
            # Django turns a template into gettext calls the way makemessages does; the indentation it keeps
            # means nothing to the extractor, so it goes.
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            source = "\n".join(line.lstrip() for line in code.splitlines()).encode()
        else:
            continue
        for _lineno, message, _comments, context in extract("python", io.BytesIO(source), keywords=KEYWORDS):
            msgid = message if isinstance(message, str) else message[0]
            found.add((context, msgid))
    return found


# --- the pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def chinese(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    return html


def test_storefront_pages_speak_chinese(chinese, product):
    home = page(chinese, "/")
    assert "搜索" in home and "登录" in home
    listing = page(chinese, reverse("storefront:products"))
    assert "筛选" in listing and "排序" in listing
    detail = page(chinese, reverse("storefront:product", args=[product.pk, product.slug]))
    assert "加入购物车" in detail and "有货" in detail


def test_sign_in_and_cart_speak_chinese(chinese, db):
    sign_in = page(chinese, reverse("accounts:login"))
    assert "登录" in sign_in and "密码" in sign_in and "还没有 Tradeloop 账户？" in sign_in
    assert "购物车空空如也" in page(chinese, reverse("checkout:cart"))


def test_cart_with_an_item_speaks_chinese(chinese, product):
    variant = product.variants.first()
    chinese.post(reverse("checkout:add"), {"variant": variant.pk, "quantity": 2})
    cart = page(chinese, reverse("checkout:cart"))
    assert "去结算" in cart and "小计" in cart


def test_seller_console_speaks_chinese(chinese, merchant, product):
    chinese.force_login(merchant.owner)
    dashboard = page(chinese, reverse("console:dashboard", args=[merchant.pk]))
    assert "卖家中心" in dashboard or "首页概览" in dashboard
    assert "商品管理" in dashboard and "员工管理" in dashboard
    products = page(chinese, reverse("console:products", args=[merchant.pk]))
    assert "发布商品" in products and "库存" in products


def test_english_stays_english(client, product):
    html = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert 'lang="en"' in html and "Add to cart" in html and "加入购物车" not in html


def test_order_email_in_the_buyers_language(merchant, mailoutbox):
    from tradeloop.notifications.services import order_email

    buyer = factories.UserFactory(language="zh-hans")
    order = factories.paid_order(seller=merchant, buyer=buyer)
    mailoutbox.clear()
    order_email(order=order, kind="paid")
    assert f"订单 {order.number} 已付款" in mailoutbox[0].subject
    assert "正在备货" in mailoutbox[0].body


# --- the catalogue -----------------------------------------------------------------------------------------


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalog = load_po()
    assert not catalog.fuzzy, "the header is marked fuzzy"
    assert catalog.num_plurals == 1
    done = translated(catalog)
    left = [message.id for message in catalog if message.id and message_key(message) not in done]
    assert not left, f"translate these in django.po (and recompile): {left}"


def test_translations_keep_their_placeholders():
    problems = [(message.id, [str(error) for error in errors]) for message, errors in load_po().check() if message.id]
    assert not problems


def test_every_marked_string_in_the_code_is_in_the_catalogue():
    missing = source_messages() - set(translated(load_po()))
    assert not missing, f"run makemessages and translate (see this module's docstring): {sorted(missing, key=str)}"


def test_compiled_catalogue_matches_the_po():
    compiled = io.BytesIO()
    write_mo(compiled, load_po())
    compiled.seek(0)
    expected = translated(read_mo(compiled))
    with open(MESSAGES / "django.mo", "rb") as f:
        committed = read_mo(f)
    assert committed.num_plurals == 1
    assert translated(committed) == expected, "django.mo is out of date: recompile django.po with msgfmt"
