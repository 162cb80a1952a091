"""The promotions engine: pure arithmetic over one seller order's lines and the promotions that may apply to it.

No database here: `services.price` loads the promotions, turns them into `Rule`s and calls `run`. The combination
rules (also in docs/promotions.md, and each one tested in tests/promotions/test_combination.py):

1. At most one coupon code of the store per seller order, plus at most one platform coupon. If the buyer enters
   several, the one that saves the most is used and the others are reported. Free-shipping coupons do not count
   towards this limit (rule 4).
2. Automatic promotions apply first. On each line the best non-stackable automatic promotion wins; stackable
   automatic promotions then add on, each computed on what is left of the line.
3. A coupon is applied after the automatic promotions (the store's coupon, then the platform's). It combines with
   the discounts already on the lines it covers only if it and all of them are stackable. Otherwise the buyer gets
   the better of the two: the coupon alone on those lines (list price), or the discounts already there.
4. Free shipping combines with everything. Shipping is waived once: by an automatic free-shipping promotion if one
   applies, else by a free-shipping coupon.
5. Discounts never take a line below zero, nor shipping below zero, so the order never goes below zero.
6. A coupon's (and free shipping's) minimum spend is measured on the goods it covers after the automatic
   promotions; an automatic promotion's minimum spend on the list price of the goods it covers.

What each kind does:
- percent: `value` % off each covered line.
- fixed: `value` off the covered goods once per order, spread over the covered lines in proportion to their amounts.
- bxgy: for every `buy_quantity + get_quantity` covered units, the `get_quantity` cheapest units are free.
- free_shipping: waives the order's shipping when it covers at least one line.
- A flash sale (a percent or fixed promotion with a unit cap) discounts each unit (`value` % or `value` off per
  unit) for at most the units left under its cap, the dearest units first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tradeloop.core.money import Money, allocate, quantize

PERCENT, FIXED, FREE_SHIPPING, BXGY = "percent", "fixed", "free_shipping", "bxgy"
ORDER, SELLER, CATEGORY, PRODUCT = "order", "seller", "category", "product"
ZERO = Decimal(0)


@dataclass(frozen=True)
class PricedLine:
    """One line of a seller order as the pricing sees it."""

    variant_id: int
    product_id: int
    category_path: str
    quantity: int
    unit_price: Money

    @property
    def amount(self) -> Decimal:
        return self.unit_price.amount * self.quantity


@dataclass(frozen=True)
class Rule:
    """A promotion reduced to what the arithmetic needs."""

    id: int
    name: str
    kind: str
    value: Decimal
    scope: str = ORDER
    code: str = ""  # "" for an automatic promotion
    buy_quantity: int = 0
    get_quantity: int = 0
    category_paths: tuple[str, ...] = ()
    product_ids: frozenset[int] = frozenset()
    min_spend: Decimal = ZERO
    stackable: bool = False
    platform: bool = False
    flash_units_left: int | None = None  # None: not a flash sale

    @property
    def is_coupon(self) -> bool:
        return bool(self.code)

    @property
    def is_flash(self) -> bool:
        return self.flash_units_left is not None

    @property
    def is_goods_discount(self) -> bool:
        return self.kind != FREE_SHIPPING

    def covers(self, line: PricedLine) -> bool:
        if self.scope == CATEGORY:
            return any(line.category_path.startswith(path) for path in self.category_paths)
        if self.scope == PRODUCT:
            return line.product_id in self.product_ids
        return True  # order, or the seller's goods (a seller order only holds one seller's goods)


@dataclass(frozen=True)
class Problem:
    """Why an entered code did not apply: a stable `reason` for programs and a message for people."""

    code: str
    reason: str
    message: str


@dataclass
class Share:
    rule: Rule
    amount: Decimal
    units: int = 0  # flash-sale units taken


@dataclass
class Basket:
    """The lines and the discounts currently on each of them."""

    lines: list[PricedLine]
    currency: str
    shares: list[list[Share]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.shares:
            self.shares = [[] for _ in self.lines]

    def copy(self) -> Basket:
        return Basket(self.lines, self.currency, [list(s) for s in self.shares])

    def remaining(self) -> list[Decimal]:
        return [
            line.amount - sum((s.amount for s in shares), ZERO)
            for line, shares in zip(self.lines, self.shares, strict=True)
        ]

    def discount(self) -> Decimal:
        return sum((s.amount for shares in self.shares for s in shares), ZERO)

    def add(self, rule: Rule, vector: list[tuple[Decimal, int]]) -> None:
        for shares, (amount, units) in zip(self.shares, vector, strict=True):
            if amount > 0:
                shares.append(Share(rule, amount, units))

    def strip(self, indices: list[int]) -> None:
        for i in indices:
            self.shares[i] = []

    def rules(self) -> list[Rule]:
        seen: dict[int, Rule] = {}
        for shares in self.shares:
            for share in shares:
                seen.setdefault(share.rule.id, share.rule)
        return list(seen.values())


# --- what one rule takes off each line -------------------------------------------------------------------------


def _flash_units(rule: Rule, lines: list[PricedLine], covered: list[int]) -> dict[int, int]:
    left = rule.flash_units_left or 0
    units: dict[int, int] = {}
    for i in sorted(covered, key=lambda i: (-lines[i].unit_price.amount, i)):
        units[i] = min(lines[i].quantity, left)
        left -= units[i]
    return units


def _per_unit(rule: Rule, unit_base: Decimal, currency: str) -> Decimal:
    if rule.kind == PERCENT:
        return unit_base * min(rule.value, Decimal(100)) / 100
    return min(rule.value, unit_base)


def _unit_discounts(rule: Rule, basket: Basket, bases: list[Decimal], covered: list[int]) -> list[tuple[Decimal, int]]:
    """Percent off every covered line, or a flash sale's per-unit discount on the units under its cap."""
    lines = basket.lines
    flash = _flash_units(rule, lines, covered) if rule.is_flash else {}
    vector = [(ZERO, 0)] * len(lines)
    for i in covered:
        units = flash.get(i, 0) if rule.is_flash else lines[i].quantity
        if units <= 0 or bases[i] <= 0:
            continue
        unit_base = bases[i] / lines[i].quantity
        if rule.is_flash:
            amount = _per_unit(rule, unit_base, basket.currency) * units
        else:
            amount = bases[i] * min(rule.value, Decimal(100)) / 100
        vector[i] = (min(quantize(amount, basket.currency), bases[i]), units if rule.is_flash else 0)
    return vector


def _fixed_once(rule: Rule, basket: Basket, bases: list[Decimal], covered: list[int]) -> list[tuple[Decimal, int]]:
    weights = [bases[i] for i in covered]
    total = min(rule.value, sum(weights, ZERO))
    vector = [(ZERO, 0)] * len(basket.lines)
    for i, part in zip(covered, allocate(total, weights, basket.currency), strict=True):
        vector[i] = (min(part, bases[i]), 0)
    return vector


def _cheapest_free(rule: Rule, basket: Basket, bases: list[Decimal], covered: list[int]) -> list[tuple[Decimal, int]]:
    lines = basket.lines
    group = rule.buy_quantity + rule.get_quantity
    vector = [(ZERO, 0)] * len(lines)
    if rule.get_quantity <= 0 or group <= 0:
        return vector
    free_left = sum(lines[i].quantity for i in covered) // group * rule.get_quantity
    for i in sorted(covered, key=lambda i: (bases[i] / lines[i].quantity, i)):
        free = min(lines[i].quantity, free_left)
        free_left -= free
        if free:
            amount = quantize(bases[i] / lines[i].quantity * free, basket.currency)
            vector[i] = (min(amount, bases[i]), 0)
    return vector


def discount_vector(rule: Rule, basket: Basket, bases: list[Decimal]) -> list[tuple[Decimal, int]]:
    """(amount, flash units) the rule takes off each line, computed on `bases` (what is left of each line)."""
    covered = [i for i, line in enumerate(basket.lines) if rule.covers(line) and bases[i] > 0]
    if rule.kind == PERCENT or (rule.kind == FIXED and rule.is_flash):
        return _unit_discounts(rule, basket, bases, covered)
    if rule.kind == FIXED:
        return _fixed_once(rule, basket, bases, covered)
    if rule.kind == BXGY:
        return _cheapest_free(rule, basket, bases, covered)
    return [(ZERO, 0)] * len(basket.lines)


def covered_spend(rule: Rule, basket: Basket, amounts: list[Decimal]) -> Decimal:
    return sum((amounts[i] for i, line in enumerate(basket.lines) if rule.covers(line)), ZERO)


def _total(vector: list[tuple[Decimal, int]]) -> Decimal:
    return sum((amount for amount, _ in vector), ZERO)


# --- the combination rules -------------------------------------------------------------------------------------


def _apply_automatic(basket: Basket, rules: list[Rule]) -> None:
    """Rule 2: the best non-stackable automatic promotion per line, then the stackable ones on what is left."""
    list_prices = [line.amount for line in basket.lines]
    meets = [r for r in rules if covered_spend(r, basket, list_prices) >= r.min_spend]
    exclusive = [(r, discount_vector(r, basket, list_prices)) for r in meets if not r.stackable]
    for i in range(len(basket.lines)):
        best = max(exclusive, key=lambda rv: (rv[1][i][0], -rv[0].id), default=None)
        if best and best[1][i][0] > 0:
            rule, vector = best
            basket.shares[i].append(Share(rule, *vector[i]))
    for rule in sorted((r for r in meets if r.stackable), key=lambda r: r.id):
        basket.add(rule, discount_vector(rule, basket, basket.remaining()))


def _min_spend_problem(rule: Rule, spend: Decimal, currency: str) -> Problem:
    return Problem(
        rule.code,
        "min_spend",
        _("Coupon %(code)s needs a minimum spend of %(amount)s (you have %(spend)s after other discounts).")
        % {
            "code": rule.code,
            "amount": Money(rule.min_spend, currency).format(),
            "spend": Money(quantize(spend, currency), currency).format(),
        },
    )


def _with_coupon(basket: Basket, rule: Rule, after_auto: list[Decimal]) -> tuple[Basket | None, Problem | None]:
    """Rule 3: the coupon on top of what is there if both sides stack, else the better of the two."""
    covered = [i for i, line in enumerate(basket.lines) if rule.covers(line)]
    if not covered:
        return None, Problem(
            rule.code,
            "not_applicable",
            _("Coupon %(code)s does not apply to anything in this order.") % {"code": rule.code},
        )
    present = {s.rule.id: s.rule for i in covered for s in basket.shares[i]}
    if rule.stackable and all(r.stackable for r in present.values()):
        spend = covered_spend(rule, basket, after_auto)
        if spend < rule.min_spend:
            return None, _min_spend_problem(rule, spend, basket.currency)
        candidate = basket.copy()
        candidate.add(rule, discount_vector(rule, candidate, candidate.remaining()))
    else:
        candidate = basket.copy()
        candidate.strip(covered)
        spend = covered_spend(rule, candidate, candidate.remaining())
        if spend < rule.min_spend:
            return None, _min_spend_problem(rule, spend, basket.currency)
        candidate.add(rule, discount_vector(rule, candidate, candidate.remaining()))
    if candidate.discount() <= basket.discount():
        names = ", ".join(r.name for r in present.values())
        if names:
            message = _("Coupon %(code)s does not combine with %(names)s, which saves you more.") % {
                "code": rule.code,
                "names": names,
            }
        else:
            message = _("Coupon %(code)s gives no discount on this order.") % {"code": rule.code}
        return None, Problem(rule.code, "not_better", message)
    return candidate, None


def _best_coupon(
    basket: Basket, coupons: list[Rule], after_auto: list[Decimal], problems: list[Problem]
) -> tuple[Basket, Rule | None]:
    """Rule 1: one coupon of a kind (store or platform); several entered, the one that saves the most is used."""
    results: list[tuple[Basket, Rule]] = []
    for rule in coupons:
        candidate, problem = _with_coupon(basket, rule, after_auto)
        if problem:
            problems.append(problem)
        elif candidate is not None:
            results.append((candidate, rule))
    if not results:
        return basket, None
    best, chosen = max(results, key=lambda result: (result[0].discount(), -coupons.index(result[1])))
    for _candidate, rule in results:
        if rule is not chosen:
            problems.append(
                Problem(
                    rule.code,
                    "one_coupon_only",
                    _("Only one coupon per store and one platform coupon per order: %(code)s was not used.")
                    % {"code": rule.code},
                )
            )
    return best, chosen


def _free_shipping(
    basket: Basket, rules: list[Rule], after_auto: list[Decimal], problems: list[Problem]
) -> Rule | None:
    """Rule 4: shipping is waived once, by an automatic promotion before a coupon."""
    for rule in sorted(rules, key=lambda r: (r.is_coupon, r.id)):
        covers_something = any(rule.covers(line) for line in basket.lines)
        spend = covered_spend(rule, basket, after_auto)
        if covers_something and spend >= rule.min_spend:
            return rule
        if rule.is_coupon and not covers_something:
            message = _("Coupon %(code)s does not apply to anything in this order.") % {"code": rule.code}
            problems.append(Problem(rule.code, "not_applicable", message))
        elif rule.is_coupon:
            problems.append(_min_spend_problem(rule, spend, basket.currency))
    return None


@dataclass
class Outcome:
    basket: Basket
    shipping_rule: Rule | None
    problems: list[Problem]


def run(*, lines: list[PricedLine], currency: str, automatic: list[Rule], coupons: list[Rule]) -> Outcome:
    """Apply the combination rules. `coupons` are the entered codes that exist and may be used by this buyer now."""
    basket = Basket(lines, currency)
    problems: list[Problem] = []
    _apply_automatic(basket, [r for r in automatic if r.is_goods_discount])
    after_auto = basket.remaining()
    goods_coupons = [r for r in coupons if r.is_goods_discount]
    basket, _store_coupon = _best_coupon(basket, [r for r in goods_coupons if not r.platform], after_auto, problems)
    basket, _platform_coupon = _best_coupon(basket, [r for r in goods_coupons if r.platform], after_auto, problems)
    shipping_rules = [r for r in automatic + coupons if not r.is_goods_discount]
    shipping_rule = _free_shipping(basket, shipping_rules, after_auto, problems)
    _report_displaced(basket, goods_coupons, problems)
    return Outcome(basket, shipping_rule, problems)


def _report_displaced(basket: Basket, coupons: list[Rule], problems: list[Problem]) -> None:
    """A store coupon that a better platform coupon pushed off every line is reported too."""
    applied = {r.id for r in basket.rules()}
    reported = {p.code for p in problems}
    for rule in coupons:
        if rule.id not in applied and rule.code not in reported:
            problems.append(
                Problem(
                    rule.code,
                    "not_better",
                    _("Coupon %(code)s was not used: another promotion saves you more.") % {"code": rule.code},
                )
            )
