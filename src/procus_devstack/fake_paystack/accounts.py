"""Account-name lookup (``GET /bank/resolve``): a made-up but stable holder name per account number.

Any ten-digit number at a known NGN bank resolves, to a name picked from its last digits, except
``0000000001``, which no bank knows (to try the failure path). Paystack answers that case with 422.
"""

from __future__ import annotations

import re

from .banks import BANKS
from .records import PaystackError

__all__ = ["UNKNOWN_ACCOUNT", "resolve_account_name"]

UNKNOWN_ACCOUNT = "0000000001"
_FIRST = ("ADA", "CHIOMA", "TUNDE", "NGOZI", "EMEKA", "FUNKE", "BOLA", "KEMI", "SEGUN", "AMAKA")
_LAST = ("OKAFOR", "ADEYEMI", "EZE", "BELLO", "OKONKWO", "BALOGUN", "NWOSU", "ABUBAKAR", "OJO", "IBRAHIM")
_NOT_RESOLVED = "Could not resolve account name. Check parameters or try again."


def resolve_account_name(account_number: str, bank_code: str) -> str:
    if not any(bank.code == bank_code for bank in BANKS["NGN"]):
        raise PaystackError(422, "Unknown bank code: " + bank_code)
    if not re.fullmatch(r"\d{10}", account_number) or account_number == UNKNOWN_ACCOUNT:
        raise PaystackError(422, _NOT_RESOLVED)
    return f"{_LAST[int(account_number[-2])]} {_FIRST[int(account_number[-1])]}"
