"""docs/api.md's sandbox webhook example is right: its signature verifies, and the site accepts it (once)."""

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest
from django.test import Client

import tradeloop
from tradeloop.payments.models import WebhookEvent
from tradeloop.payments.providers import sandbox

DOCS = (Path(tradeloop.__file__).parents[2] / "docs" / "api.md").read_text()
SECRET = re.search(r"TRADELOOP_SANDBOX_SECRET=(\S+)`", DOCS).group(1)
BODY = re.search(r"this body:\n\n```json\n(.+)\n```", DOCS).group(1).encode()
SIGNATURE = re.search(r"X-Sandbox-Signature: ([0-9a-f]{64})", DOCS).group(1)


def test_the_documented_signature_is_the_hmac_of_the_documented_body():
    assert hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest() == SIGNATURE


def test_the_sandbox_signs_and_encodes_as_documented(settings):
    settings.TRADELOOP_SANDBOX_SECRET = SECRET
    assert sandbox.sign(BODY) == SIGNATURE
    assert sandbox.encode(json.loads(BODY)) == BODY  # compact JSON, sorted keys: what the python example builds


@pytest.mark.django_db
def test_the_documented_request_is_accepted_once(settings):
    settings.TRADELOOP_SANDBOX_SECRET = SECRET
    url = "/api/v1/payments/webhook?provider=sandbox"
    for _ in range(2):  # the replay answers the same and stores nothing new
        response = Client().post(url, BODY, content_type="application/json", headers={"X-Sandbox-Signature": SIGNATURE})
        assert response.status_code == 200, response.content
        assert response.json()["event_id"] == json.loads(BODY)["id"]
    assert WebhookEvent.objects.count() == 1
    tampered = BODY.replace(b"25.00", b"2500.00")
    response = Client().post(url, tampered, content_type="application/json", headers={"X-Sandbox-Signature": SIGNATURE})
    assert (response.status_code, response.json()["code"]) == (400, "bad_signature")
