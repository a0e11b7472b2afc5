"""Readable, stable URL words for a place's title (the id in the URL is what counts)."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str | None, max_length: int = 60) -> str:
    """`Kok in de buurtkeuken!` -> `kok-in-de-buurtkeuken`; only ASCII letters and digits."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:max_length].rstrip("-") or "plek"
