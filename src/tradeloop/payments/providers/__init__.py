"""The provider registry: `get_provider("sandbox")`.

Built-in adapters register themselves on import; adapters living elsewhere are imported from the setting
`TRADELOOP_PAYMENT_PROVIDERS` (dotted paths of modules or classes), e.g. `["mysite.payments.StripeProvider"]`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from tradeloop.core.errors import ValidationFailed
from tradeloop.payments.providers.base import PaymentProvider

_REGISTRY: dict[str, type[PaymentProvider]] = {}
_loaded_settings = False


def register(cls: type[PaymentProvider]) -> type[PaymentProvider]:
    """Class decorator: make an adapter available under its `code`."""
    _REGISTRY[cls.code] = cls
    return cls


def _load_configured() -> None:
    global _loaded_settings
    if _loaded_settings:
        return
    from tradeloop.payments.providers import sandbox  # noqa: F401 - registers itself

    for path in getattr(settings, "TRADELOOP_PAYMENT_PROVIDERS", ()):
        try:
            found = import_string(path)
        except ImportError:
            __import__(path)  # a module whose classes register themselves
            continue
        if isinstance(found, type) and issubclass(found, PaymentProvider):
            register(found)
    _loaded_settings = True


def get_provider(code: str) -> PaymentProvider:
    _load_configured()
    cls = _REGISTRY.get(code or "")
    if cls is None:
        raise ValidationFailed(f"unknown payment provider {code!r}", field="provider")
    return cls()


def provider_codes() -> list[str]:
    _load_configured()
    return sorted(_REGISTRY)


def default_provider_code() -> str:
    return getattr(settings, "TRADELOOP_PAYMENT_PROVIDER", "sandbox")


def payout_provider_code() -> str:
    return getattr(settings, "TRADELOOP_PAYOUT_PROVIDER", default_provider_code())
