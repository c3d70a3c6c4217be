"""Helpers shared by the tests: real services, databases, settings."""
