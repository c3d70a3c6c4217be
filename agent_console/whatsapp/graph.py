"""The WhatsApp Business Cloud API client: send a message, look up a media URL, download media.

Published shapes: ``POST /{phone-number-id}/messages`` with ``{"messaging_product": "whatsapp",
"to": ..., "type": ...}`` answers ``{"messages": [{"id": "wamid..."}]}``; ``GET /{media-id}``
answers ``{"url", "mime_type", "sha256", "file_size", "id"}``; the URL is fetched with the same
bearer token. Errors come as ``{"error": {"message", "type", "code"}}``.
"""
from __future__ import annotations

from dataclasses import dataclass

import requests

from hotline import settings

TIMEOUT = (5, 30)  # connect, read (seconds)


class GraphError(Exception):
    """The Cloud API refused or could not be reached; ``transient`` says whether to retry."""

    def __init__(self, message: str, transient: bool):
        super().__init__(message)
        self.transient = transient


class TooLarge(GraphError):
    """The media is larger than we accept."""

    def __init__(self, size: int):
        super().__init__(f"media of {size} bytes is over the limit", transient=False)
        self.size = size


@dataclass(frozen=True)
class MediaInfo:
    url: str
    mime_type: str
    file_size: int | None


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.get().whatsapp_access_token}"}


def _error(response: requests.Response) -> GraphError:
    try:
        detail = response.json().get("error", {})
        text = f"{detail.get('code')}: {detail.get('message')}"
    except ValueError:
        text = response.text[:200]
    # Rate limits and server faults pass; other refusals (bad number, bad token) will not.
    transient = response.status_code == 429 or response.status_code >= 500
    return GraphError(f"Graph API {response.status_code}: {text}", transient)


def _call(method: str, url: str, **kwargs) -> requests.Response:
    try:
        response = requests.request(method, url, headers=_headers(), timeout=TIMEOUT, **kwargs)
    except requests.RequestException as exc:
        raise GraphError(f"Graph API unreachable: {type(exc).__name__}", transient=True) from None
    if response.status_code >= 400:
        raise _error(response)
    return response


def send(phone_number_id: str, to: str, body: dict) -> str:
    """Send one message from our number to ``to``; returns Meta's message id."""
    url = f"{settings.get().whatsapp_graph_url}/{phone_number_id}/messages"
    payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, **body}
    response = _call("POST", url, json=payload)
    try:
        return str(response.json()["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise GraphError("Graph API answered without a message id", transient=True) from None


def media_info(media_id: str) -> MediaInfo:
    """Where to download a media object, and what Meta says it is."""
    response = _call("GET", f"{settings.get().whatsapp_graph_url}/{media_id}")
    try:
        data = response.json()
        size = data.get("file_size")
        return MediaInfo(str(data["url"]), str(data.get("mime_type") or ""),
                         int(size) if size is not None else None)
    except (ValueError, KeyError, TypeError):
        raise GraphError(f"Graph API answered no URL for media {media_id}", transient=True) from None


def download(url: str, max_bytes: int) -> bytes:
    """The media bytes, refusing (TooLarge) anything over ``max_bytes`` without reading it all."""
    try:
        with requests.get(url, headers=_headers(), timeout=TIMEOUT, stream=True) as response:
            if response.status_code >= 400:
                raise _error(response)
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise TooLarge(declared)
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(size)
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as exc:
        raise GraphError(f"media download failed: {type(exc).__name__}", transient=True) from None
