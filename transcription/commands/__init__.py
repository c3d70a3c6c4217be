"""The transcription commands of run_ivr.py."""
