"""S3 implementation of the object-storage port (``procus.services.ports.storage``)."""

from __future__ import annotations

from procus.integrations.storage.s3 import S3ObjectStorage

__all__ = ["S3ObjectStorage"]
