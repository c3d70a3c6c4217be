"""Offline transcription of recorded complaints with Vosk: engine, jobs and workers."""
