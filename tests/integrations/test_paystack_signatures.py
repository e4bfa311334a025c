"""Paystack webhook signatures: hex HMAC-SHA512 of the raw body keyed with the secret key."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from procus.integrations.paystack.signatures import paystack_signature, verify_paystack_signature

SECRET = "sk_test_signing_secret"
BODY = b'{"event":"charge.success","data":{"reference":"bk-1","amount":500000}}'


def test_signature_is_hmac_sha512_hex() -> None:
    # RFC 4231 test case 2
    expected = (
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
    )
    assert paystack_signature("Jefe", b"what do ya want for nothing?") == expected


def test_valid_signature_passes() -> None:
    assert verify_paystack_signature(SECRET, BODY, paystack_signature(SECRET, BODY))


def test_header_case_and_surrounding_whitespace_are_tolerated() -> None:
    assert verify_paystack_signature(SECRET, BODY, f" {paystack_signature(SECRET, BODY).upper()}\n")


def test_missing_signature_fails() -> None:
    assert not verify_paystack_signature(SECRET, BODY, None)
    assert not verify_paystack_signature(SECRET, BODY, "")


def test_invalid_signature_fails() -> None:
    assert not verify_paystack_signature(SECRET, BODY, "0" * 128)
    assert not verify_paystack_signature(SECRET, BODY, "not hex at all")
    assert not verify_paystack_signature(SECRET, BODY, "é" * 128)


def test_signature_under_another_key_fails() -> None:
    assert not verify_paystack_signature(SECRET, BODY, paystack_signature("sk_test_someone_else", BODY))


def test_empty_secret_never_verifies() -> None:
    assert not verify_paystack_signature("", BODY, paystack_signature("", BODY))


def test_body_altered_after_signing_fails() -> None:
    signature = paystack_signature(SECRET, BODY)
    assert not verify_paystack_signature(SECRET, BODY.replace(b"500000", b"900000"), signature)


def test_reserialised_json_is_not_the_signed_body() -> None:
    """Verification must use the raw bytes: the same JSON re-encoded differently does not verify."""
    signature = paystack_signature(SECRET, BODY)
    reencoded = json.dumps(json.loads(BODY)).encode()
    assert reencoded != BODY
    assert not verify_paystack_signature(SECRET, reencoded, signature)


@given(secret=st.text(min_size=1), body=st.binary(min_size=1, max_size=512), position=st.integers(min_value=0))
def test_any_signed_body_verifies_and_any_one_bit_change_does_not(secret: str, body: bytes, position: int) -> None:
    signature = paystack_signature(secret, body)
    assert verify_paystack_signature(secret, body, signature)
    altered = bytearray(body)
    altered[position % len(altered)] ^= 0x01
    assert not verify_paystack_signature(secret, bytes(altered), signature)
