"""The request class the app uses: JSON bodies decoded safely and as strictly as the OpenAPI says.

Litestar decodes a JSON body into plain values and then converts it to the handler's ``data`` type
leniently (``strict=False``, which query strings need): a booking ``start`` sent as an integer
became a Unix time and a payout amount sent as ``"1000"`` a number. Here the body is checked
strictly against the ``data`` type first, so the schema is the contract. Bodies nested too deep or
that are not UTF-8 are malformed (400), never an unhandled error.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ClientException, ValidationException

__all__ = ["StrictJsonRequest"]


class StrictJsonRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            value = await super().json()
        except (RecursionError, UnicodeDecodeError):
            raise ClientException("The body is not valid JSON: nested too deep or not UTF-8") from None
        data = self.route_handler.parsed_fn_signature.parameters.get("data")
        if data is not None and self.route_handler.resolve_data_dto() is None:
            try:
                msgspec.convert(value, type=data.annotation, strict=True)
            except msgspec.ValidationError as exc:
                raise ValidationException(
                    detail=str(exc), extra=[{"message": str(exc), "key": "data", "source": "body"}]
                ) from None
        return value
