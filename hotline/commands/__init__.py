"""Commands of the shared core (init-db, create-user, audit, demo)."""
