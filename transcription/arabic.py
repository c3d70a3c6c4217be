"""Arabic text handling for transcripts; it lives in the shared core so every part agrees."""
from hotline.arabic import MASK, category_hits, normalise, redact, suggest_category

__all__ = ["MASK", "category_hits", "normalise", "redact", "suggest_category"]
