"""How alike two reports are: Arabic-normalised text, and photos by perceptual hash.

Text is compared as sets of character trigrams of the normalised words (``hotline.arabic``), so
spelling variants (ة/ه, ى/ي, hamza forms, diacritics), joined clitics (والزبالة / الزبالة) and
Arabic-Indic digits agree without a stemmer. Photos are compared by a 64-bit pHash: re-encoding,
resizing and small crops change few bits; another scene changes about half of them.
"""
from __future__ import annotations

import io
from functools import lru_cache

from hotline import arabic

TEXT_LIMIT = 1000  # characters kept of a case's text for matching
# Words too common in complaints to tell two of them apart.
COMMON = frozenset(arabic.normalise(w) for w in (
    "في", "من", "على", "الى", "إلى", "عن", "مع", "هذا", "هذه", "ده", "دي", "اللي", "التي", "الذي",
    "انا", "احنا", "يوجد", "فيه", "في", "جدا", "كل", "و", "يا", "the", "a", "of", "in", "on", "and",
    "is", "there", "at", "to", "for", "near", "our", "my", "we"))


def text_of(*parts: str | None) -> str:
    """The normalised text a case is matched on (description, transcript), shortened."""
    return arabic.normalise(" ".join(p for p in parts if p))[:TEXT_LIMIT]


@lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset[str]:
    """The character trigrams of the text's telling words, each word padded with spaces."""
    grams: set[str] = set()
    for word in text.split():
        if word in COMMON or len(word) < 2:
            continue
        padded = f" {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def text_score(a: str, b: str) -> float:
    """Dice coefficient of two normalised texts' trigram sets, 0 (nothing shared) to 1."""
    ga, gb = trigrams(a), trigrams(b)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def photo_hash(data: bytes) -> str:
    """The 64-bit perceptual hash (pHash) of an image, as 16 hex digits."""
    import imagehash
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return str(imagehash.phash(image.convert("RGB")))


def photo_bits(a: str, b: str) -> int:
    """How many of the 64 bits two photo hashes differ in."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def closest_photos(ours: list[str], theirs: list[str]) -> int | None:
    """The fewest differing bits over every pair of two cases' photos (None without photos)."""
    if not ours or not theirs:
        return None
    return min(photo_bits(a, b) for a in ours for b in theirs)
