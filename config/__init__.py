"""Shakwa's reference data and defaults, installed as the package ``shakwa_config``."""
