"""Saving the product page: product fields, variant rows and images in ONE transaction.

Every write is a catalog service call. A domain error lands on the form field it names; if any call failed,
the whole save is rolled back, so a product is never half-saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils.text import capfirst

from tradeloop.accounts.models import Organization, User
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product
from tradeloop.console.forms import ImageUploadForm, ProductForm
from tradeloop.core.errors import DomainError


class _RollBack(Exception):
    """Raised inside the transaction once errors are collected, to undo everything written so far."""


def sentence(error: DomainError) -> str:
    """Services speak in lower-case fragments ("price cannot be negative"); pages show sentences."""
    return capfirst(error.message)


def attach_error(form: forms.Form, error: DomainError) -> None:
    """A service error on the field it names, or on the whole form when that field is not on this form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, sentence(error))


@dataclass
class ProductEditor:
    actor: User
    seller: Organization
    form: ProductForm
    variants: forms.BaseFormSet
    upload: ImageUploadForm
    remove_image_ids: list[int]

    def is_valid(self) -> bool:
        # Evaluate all three so every form shows its own errors.
        return all([self.form.is_valid(), self.variants.is_valid(), self.upload.is_valid()])

    def save(self, product: Product | None = None, *, publish: bool = False) -> Product | None:
        """The saved product, or None when errors were attached to the forms (and nothing was written)."""
        try:
            with transaction.atomic():
                product = self._save_product(product)
                ok = product is not None and all([self._save_variants(product), self._save_images(product)])
                if ok and publish:
                    ok = self._call(self.form, catalog.publish, actor=self.actor, product=product)
                if not ok:
                    raise _RollBack
        except _RollBack:
            return None
        return product

    def _call(self, form: forms.Form, service, **kwargs) -> bool:
        try:
            service(**kwargs)
        except DomainError as error:
            attach_error(form, error)
            return False
        return True

    def _save_product(self, product: Product | None) -> Product | None:
        fields = self.form.service_fields()
        try:
            if product is None:
                return catalog.create_product(actor=self.actor, seller=self.seller, **fields)
            return catalog.update_product(actor=self.actor, product=product, **fields)
        except DomainError as error:
            attach_error(self.form, error)
            return None

    def _save_variants(self, product: Product) -> bool:
        ok = True
        for row in self.variants.forms:
            data = row.cleaned_data
            variant_id = data.get("id")
            if not row.has_changed():
                continue  # an untouched row: the blank one for a new variant, or a variant left as it was
            if data.get("DELETE"):
                if variant_id:
                    ok &= self._call(
                        row, catalog.delete_variant, actor=self.actor, product=product, variant_id=variant_id
                    )
                continue
            ok &= self._call(
                row,
                catalog.save_variant,
                actor=self.actor,
                product=product,
                data=_variant_input(data, stock_changed=not variant_id or data["stock"] != data.get("stock_shown")),
                variant_id=variant_id,
            )
        return ok

    def _save_images(self, product: Product) -> bool:
        ok = True
        for image_id in self.remove_image_ids:
            ok &= self._call(self.upload, catalog.remove_image, actor=self.actor, product=product, image_id=image_id)
        upload = self.upload.cleaned_data.get("image")
        if upload:
            alt = self.upload.cleaned_data.get("alt", "")
            ok &= self._call(self.upload, catalog.add_image, actor=self.actor, product=product, upload=upload, alt=alt)
        return ok


def _variant_input(data: dict, *, stock_changed: bool) -> catalog.VariantInput:
    """The row as a service input; stock only when the person changed it (else a sale meanwhile would be undone)."""
    return catalog.VariantInput(
        sku=data["sku"],
        name=data.get("name", ""),
        name_zh=data.get("name_zh", ""),
        options=data.get("options") or {},
        price=data["price"],
        compare_at_price=data.get("compare_at_price"),
        stock=data["stock"] if stock_changed else None,
        weight_grams=data.get("weight_grams") or 0,
        is_active=bool(data.get("is_active")),
    )
