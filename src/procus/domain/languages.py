"""Spoken languages as ISO 639-1 two-letter codes."""

from __future__ import annotations

from collections.abc import Iterable

from procus.domain.errors import InvalidInput

__all__ = ["ISO_639_1", "MAX_LANGUAGES", "validate_languages"]

MAX_LANGUAGES = 20

_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee
    el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io
    is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn
    mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se
    sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo
    wa wo xh yi yo za zh zu
"""
ISO_639_1 = frozenset(_CODES.split())


def validate_languages(codes: Iterable[str], field: str = "languages") -> tuple[str, ...]:
    """Lower-cased, de-duplicated codes in the order given; unknown codes are named by index."""
    seen: list[str] = []
    for index, code in enumerate(codes):
        normalized = code.strip().lower()
        if normalized not in ISO_639_1:
            raise InvalidInput(
                "invalid_language", f"{code!r} is not an ISO 639-1 language code", field=f"{field}[{index}]"
            )
        if normalized not in seen:
            seen.append(normalized)
    if len(seen) > MAX_LANGUAGES:
        raise InvalidInput("too_many_languages", f"list at most {MAX_LANGUAGES} languages", field=field)
    return tuple(seen)
