"""What checkout listens to: the payment's outcome, and a guest signing in (their cart joins their account)."""

from __future__ import annotations


def on_payment_captured(sender, *, payment, **kwargs) -> None:
    from tradeloop.checkout import reactions

    reactions.on_payment_captured(payment=payment)


def on_payment_failed(sender, *, payment, **kwargs) -> None:
    from tradeloop.checkout import reactions

    reactions.on_payment_failed(payment=payment)


def on_signed_in(sender, *, request, user, **kwargs) -> None:
    """The guest cart's id is in the session data (the session key itself changes at sign-in)."""
    from tradeloop.checkout import cart

    session = getattr(request, "session", None)
    if session is not None and (cart_id := session.pop(cart.GUEST_CART_KEY, None)):
        cart.merge_guest_cart(user=user, guest_cart_id=cart_id)


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    from tradeloop.payments import signals as payments

    payments.payment_captured.connect(on_payment_captured, dispatch_uid="checkout.payment_captured")
    payments.payment_failed.connect(on_payment_failed, dispatch_uid="checkout.payment_failed")
    user_logged_in.connect(on_signed_in, dispatch_uid="checkout.merge_guest_cart")
