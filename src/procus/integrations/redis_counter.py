"""Rate-limit counters in Redis, shared by every API process."""

from __future__ import annotations

from redis.asyncio import Redis

__all__ = ["RedisHitCounter"]


class RedisHitCounter:
    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(url)

    async def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, window_seconds, nx=True)
            pipe.pttl(key)
            count, _, ttl_ms = await pipe.execute()
        return int(count), max(int(ttl_ms), 0) / 1000

    async def aclose(self) -> None:
        await self._redis.aclose()
