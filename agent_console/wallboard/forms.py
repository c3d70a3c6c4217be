"""The wallboard has no forms: it only shows figures."""
