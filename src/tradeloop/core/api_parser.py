"""The API's JSON body parser: the body must be JSON whose every string (keys too) is valid Unicode."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser


class MalformedBody(ValueError):
    """The body parses as JSON but cannot be stored as text; `field` is the path to the bad string."""

    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.field = field


def _valid_text(value: str) -> bool:
    try:
        value.encode("utf-8")  # a lone surrogate ("\ud800") cannot be encoded, nor stored, nor sent back
    except UnicodeEncodeError:
        return False
    return True


def check_text(data: Any, path: tuple = ()) -> None:
    """Raise MalformedBody at the first string of `data` (a parsed JSON value, keys included) that is not valid
    Unicode; the field is its path ("coupon_codes.0", "attributes" for a bad key of attributes)."""
    if isinstance(data, str):
        if not _valid_text(data):
            field = ".".join(str(p) for p in path) or None
            raise MalformedBody("text must be valid Unicode (a lone surrogate such as \\ud800 is not)", field)
    elif isinstance(data, dict):
        for key, value in data.items():
            check_text(key, path)
            check_text(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            check_text(value, (*path, index))


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        check_text(data)
        return data
