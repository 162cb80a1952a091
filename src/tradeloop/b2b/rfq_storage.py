"""Where RFQ files live: a private folder in the data directory, outside the media folder, with no URL.

Buyers attach drawings and price sheets to an RFQ; they are for the buyer's organization and the suppliers the RFQ
is for only. The media folder is public (anyone with a file's address may fetch it when the app serves media), so
the files are kept under `<TRADELOOP_DATA_DIR>/private/` and handed out only by the checked download view
(`b2b:rfq_attachment`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


def private_root() -> Path:
    return Path(settings.DATA_DIR) / "private"


class PrivateStorage(FileSystemStorage):
    """A file-system storage under the private folder of the data directory. Files in it have no public URL."""

    def __init__(self) -> None:
        super().__init__(directory_permissions_mode=0o700, file_permissions_mode=0o600)

    @cached_property
    def base_location(self) -> Path:  # read at first use, so a test or a deployment may move the data directory
        return private_root()

    @cached_property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; serve them through a view that checks who asks")


def rfq_storage() -> PrivateStorage:
    return PRIVATE


PRIVATE = PrivateStorage()
