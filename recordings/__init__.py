"""Recordings and photos: audio normalisation, the age-encrypted vault, playback, keys, retention."""
