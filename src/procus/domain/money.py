"""Money as integer minor units plus an ISO 4217 currency. Never a float."""

from __future__ import annotations

import msgspec

from procus.domain.errors import InvalidInput

__all__ = ["Money", "split_fee"]

_CURRENCIES = frozenset({"NGN", "GHS", "ZAR", "KES", "USD", "EUR", "GBP", "XOF", "EGP", "RWF"})


class Money(msgspec.Struct, frozen=True):
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if self.currency not in _CURRENCIES:
            raise InvalidInput("unsupported_currency", f"currency {self.currency!r} is not supported", field="currency")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidInput("currency_mismatch", f"cannot combine {self.currency} with {other.currency}")


def split_fee(amount: int, fee_rate_bps: int) -> tuple[int, int]:
    """Split ``amount`` into (expert share, platform fee) for a fee rate in basis points.

    The fee is rounded half up to a whole minor unit and the expert gets the rest, so the two
    parts always add up to the amount exactly.
    """
    if amount < 0 or not 0 <= fee_rate_bps <= 10_000:
        raise InvalidInput("invalid_fee_split", "amount must be >= 0 and the rate within 0..10000 bps")
    fee = (amount * fee_rate_bps + 5_000) // 10_000
    return amount - fee, fee
