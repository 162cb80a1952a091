import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests import factories
from tradeloop.accounts.services import issue_token

ERROR_KEYS = {"code", "message", "field"}


class Api:
    """A client for /api/v1/ that speaks JSON, optionally as a user with a bearer token."""

    def __init__(self, client: Client, token: str | None = None):
        self.client = client
        self.token = token

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def url(self, path: str) -> str:
        return f"/api/v1/{path.lstrip('/')}"

    def get(self, path: str, params: dict | None = None):
        return self.client.get(self.url(path), params or {}, headers=self._headers())

    def post(self, path: str, body=None, **extra):
        return self.client.post(
            self.url(path), json.dumps(body or {}), content_type="application/json", headers=self._headers(), **extra
        )

    def patch(self, path: str, body=None):
        return self.client.patch(
            self.url(path), json.dumps(body or {}), content_type="application/json", headers=self._headers()
        )

    def delete(self, path: str):
        return self.client.delete(self.url(path), headers=self._headers())

    def upload(self, path: str, data: dict):
        return self.client.post(self.url(path), data, headers=self._headers())


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    """The response is a 4xx with the API's error body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["message"]
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


@pytest.fixture
def api(db):
    """Anonymous API client."""
    return Api(Client())


@pytest.fixture
def api_as(db):
    """`api_as(user)`: an API client signed in with a fresh bearer token of that user."""

    def make(user) -> Api:
        _, secret = issue_token(user=user)
        return Api(Client(), secret)

    return make


@pytest.fixture
def owner_api(merchant, api_as):
    return api_as(merchant.owner)


@pytest.fixture
def rival(db):
    """Another merchant (another tenant) with its owner."""
    return factories.seller_with_owner(kind="merchant", name="Rival Goods")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(name: str = "photo.png", size: tuple[int, int] = (640, 480)) -> SimpleUploadedFile:
    """A real PNG made with Pillow."""
    buffer = BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
