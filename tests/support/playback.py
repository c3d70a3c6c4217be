"""Playing a recording as the review page does: the reason POSTed first, then the audio URL."""
from __future__ import annotations

import re


def listen(client, recording_id: int, reason: str):
    """POST ``reason`` for listening to ``recording_id``; returns the reply (200 with the URL)."""
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return client.post(f"/recordings/{recording_id}/listen", data={"csrf_token": token, "reason": reason})


def audio_url(client, recording_id: int, reason: str) -> str:
    """The audio URL once ``reason`` was given (the URL itself carries no reason)."""
    listen(client, recording_id, reason)
    return f"/recordings/{recording_id}/audio"
