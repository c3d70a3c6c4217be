"""A real recording in the vault: espeak-ng speech, stored through recordings.intake."""
from __future__ import annotations

import subprocess

from hotline import db, settings
from hotline.models import Recording, Transcript


def stored_recording(case_id: int, words=(("انقطاع", 0.1, 0.6), ("المياه", 0.7, 1.2))) -> int:
    """Speak a sentence, put it through intake (encrypted into the vault), add a transcript."""
    from recordings import intake

    spool = settings.get().spool_dir
    spool.mkdir(parents=True, exist_ok=True)
    wav = spool / f"case-{case_id}.wav"
    subprocess.run(["espeak-ng", "-v", "ar", "-w", str(wav), "انقطاع المياه"], check=True,
                   capture_output=True, timeout=30)
    intake.check_ready()
    with db.session_scope() as session:
        recording = Recording(case_id=case_id, status="spooled", spool_path=str(wav), source_format="wav")
        intake.accept(session, recording)
        assert recording.status == "stored", recording.status
        text = " ".join(w for w, _s, _e in words)
        session.add(Transcript(recording_id=recording.id, case_id=case_id, text=text,
                               redacted_text=text, search_text=text,
                               words=[{"word": w, "start": s, "end": e, "conf": 1.0} for w, s, e in words]))
        return recording.id
