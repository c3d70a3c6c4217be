"""Alembic migrations of the Shakwa schema (applied by ``run_ivr.py init-db``)."""
