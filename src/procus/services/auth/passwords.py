"""bcrypt hashing off the event loop (one hash at cost 12 takes ~250 ms of CPU)."""

from __future__ import annotations

import asyncio

import bcrypt

__all__ = ["PasswordHasher"]


class PasswordHasher:
    def __init__(self, cost: int) -> None:
        self._cost = cost
        # Compared against when the email is unknown, so both paths cost one bcrypt check.
        self._decoy = bcrypt.hashpw(b"decoy-password-for-timing", bcrypt.gensalt(cost))

    async def hash(self, password: str) -> str:
        hashed = await asyncio.to_thread(bcrypt.hashpw, password.encode(), bcrypt.gensalt(self._cost))
        return hashed.decode()

    async def verify(self, password: str, password_hash: str | None) -> bool:
        """Check ``password``; with no hash (unknown user, Google-only account) spend the same time and fail."""
        target = password_hash.encode() if password_hash else self._decoy
        matches = await asyncio.to_thread(bcrypt.checkpw, password.encode()[:72], target)
        return matches and password_hash is not None
