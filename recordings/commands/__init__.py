"""The `keys` and `purge` commands of run_ivr.py."""
