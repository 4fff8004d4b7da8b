"""Code names: the ASCII identifiers every artifact uses, derived from display names."""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9]{0,63}$"
_CODE = re.compile(CODE_PATTERN)
_WORD = re.compile(r"[A-Za-z0-9]+")


class CodeNameError(ValueError):
    """A name from which no usable code name can be derived."""


@lru_cache(maxsize=8192)  # transliteration is slow, and a design is validated on every edit
def derive_code(name: str) -> str:
    """Derive a PascalCase ASCII code name from a display name in any language.

    ``"Place order"`` → ``PlaceOrder``, ``"Bestellung prüfen"`` → ``BestellungPrufen``,
    ``"注文"`` → ``ZhuWen``. Words keep their inner capitals (``"placeOrder"`` → ``PlaceOrder``).
    """
    words = _WORD.findall(anyascii(name))
    code = "".join(w[:1].upper() + w[1:] for w in words)
    if not code:
        raise CodeNameError(f"no code name can be derived from {name!r}; set 'code' explicitly")
    if not code[0].isalpha():
        raise CodeNameError(
            f"the code name {code!r} derived from {name!r} does not start with a letter; "
            "set 'code' explicitly"
        )
    if len(code) > 64:
        raise CodeNameError(
            f"the code name derived from {name!r} is longer than 64 characters; "
            "set a shorter 'code' explicitly"
        )
    return code


def is_code(text: str) -> bool:
    """Whether ``text`` is a valid code name."""
    return bool(_CODE.match(text))


def camel(code: str) -> str:
    """camelCase form of a code name (``OrderLine`` → ``orderLine``)."""
    return code[:1].lower() + code[1:]


def snake(code: str) -> str:
    """snake_case form of a code name (``PlaceOrder`` → ``place_order``)."""
    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", code)
    s = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", s)
    return s.lower()


def kebab(code: str) -> str:
    """kebab-case form of a code name (``PlaceOrder`` → ``place-order``)."""
    return snake(code).replace("_", "-")
