"""Paystack over its REST API (there is no maintained async SDK)."""

from __future__ import annotations

from .client import PaystackClient, PaystackSettings

__all__ = ["PaystackClient", "PaystackSettings"]
