"""Shakwa's shared core: settings, database, cases, security, audit, events and jobs."""

__version__ = "0.1.0"
