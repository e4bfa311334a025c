"""A small, fixed bank directory per currency (codes as Paystack uses them)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BANKS", "FakeBank"]


@dataclass(frozen=True)
class FakeBank:
    id: int
    name: str
    code: str
    currency: str
    country: str
    type: str = "nuban"

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")


def _directory(currency: str, country: str, kind: str, entries: list[tuple[str, str]], first_id: int) -> list[FakeBank]:
    return [
        FakeBank(id=first_id + index, name=name, code=code, currency=currency, country=country, type=kind)
        for index, (name, code) in enumerate(entries)
    ]


BANKS: dict[str, list[FakeBank]] = {
    "NGN": _directory(
        "NGN",
        "Nigeria",
        "nuban",
        [
            ("Access Bank", "044"),
            ("First Bank of Nigeria", "011"),
            ("Guaranty Trust Bank", "058"),
            ("Kuda Bank", "50211"),
            ("Opay", "999992"),
            ("United Bank For Africa", "033"),
            ("Wema Bank", "035"),
            ("Zenith Bank", "057"),
        ],
        first_id=1,
    ),
    "GHS": _directory(
        "GHS",
        "Ghana",
        "ghipss",
        [("Absa Bank Ghana", "030100"), ("Ecobank Ghana", "130100"), ("GCB Bank", "040100")],
        first_id=100,
    ),
    "ZAR": _directory(
        "ZAR",
        "South Africa",
        "basa",
        [("Absa Bank", "632005"), ("Capitec Bank", "470010"), ("FNB", "250655"), ("Standard Bank", "051001")],
        first_id=200,
    ),
    "KES": _directory("KES", "Kenya", "mobile_money", [("M-PESA", "MPESA"), ("Airtel Money", "AIRTEL")], first_id=300),
}
