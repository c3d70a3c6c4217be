"""A stand-in for transcription.jobs.transcribe: the transcription tests run the real one."""
TRANSCRIBED: list[int] = []


def transcribe(recording_id: int) -> None:
    """Note that the job was queued with this recording id."""
    TRANSCRIBED.append(recording_id)
