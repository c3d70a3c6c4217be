"""A local HTTP server on loopback playing the WhatsApp Cloud API (Graph API) as Meta documents it.

- ``POST /{phone-number-id}/messages`` (bearer token): checks the body as the Cloud API does
  (``messaging_product``, ``to``, ``type`` and the limits of interactive messages) and answers
  ``{"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id": "wamid..."}]}``.
- ``GET /{media-id}``: ``{"messaging_product", "url", "mime_type", "sha256", "file_size", "id"}``.
- ``GET <url>``: the media bytes, only with the bearer token.
Errors are ``{"error": {"message", "type", "code", "fbtrace_id"}}`` with the HTTP status Meta uses.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "test-access-token"


class GraphAPI:
    """The fake's state: media it holds, messages it was sent, failures to play."""

    def __init__(self):
        self.media: dict[str, tuple[bytes, str]] = {}
        self.sent: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.failures: list[int] = []  # HTTP statuses for the next message sends
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v21.0"

    def add_media(self, media_id: str, data: bytes, mime_type: str) -> None:
        self.media[media_id] = (data, mime_type)

    def fail_sends(self, *statuses: int) -> None:
        """Answer the next message sends with these HTTP error statuses."""
        with self.lock:
            self.failures.extend(statuses)

    def texts_to(self, wa_id: str) -> list[str]:
        """The body text of every message sent to ``wa_id``, in order."""
        out = []
        for body in self.sent:
            if body["to"] != wa_id:
                continue
            if body["type"] == "text":
                out.append(body["text"]["body"])
            elif body["type"] == "template":  # its body's parameters, as the citizen reads them filled in
                out.append(" ".join(p["text"] for c in body["template"]["components"]
                                    if c["type"] == "body" for p in c["parameters"]))
            else:
                out.append(body["interactive"]["body"]["text"])
        return out

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _reply(self, status: int, body: dict | bytes, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, message: str, code: int, kind="OAuthException"):
                self._reply(status, {"error": {"message": message, "type": kind, "code": code,
                                               "fbtrace_id": "AbCdEf123"}})

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._error(401, "Invalid OAuth access token - Cannot parse access token", 190)
                    return False
                return True

            def do_GET(self):
                api.requests.append(("GET", self.path))
                if not self._authorised():
                    return
                match = re.fullmatch(r"/v21\.0/media-files/([\w.-]+)", self.path)
                if match and match.group(1) in api.media:
                    data, mime = api.media[match.group(1)]
                    return self._reply(200, data, mime)
                match = re.fullmatch(r"/v21\.0/([\w.-]+)", self.path)
                if not match or match.group(1) not in api.media:
                    return self._error(400, "Unsupported get request. Object does not exist", 100,
                                       "GraphMethodException")
                media_id = match.group(1)
                data, mime = api.media[media_id]
                self._reply(200, {"messaging_product": "whatsapp", "url": f"{api.url}/media-files/{media_id}",
                                  "mime_type": mime, "sha256": hashlib.sha256(data).hexdigest(),
                                  "file_size": len(data), "id": media_id})

            def do_POST(self):
                api.requests.append(("POST", self.path))
                if not self._authorised():
                    return
                if not re.fullmatch(r"/v21\.0/\d+/messages", self.path):
                    return self._error(400, "Unsupported post request", 100, "GraphMethodException")
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                problem = _check_message(body)
                if problem:
                    return self._error(400, f"(#100) Invalid parameter: {problem}", 100)
                with api.lock:
                    failure = api.failures.pop(0) if api.failures else None
                if failure:
                    return self._error(failure, "(#131000) Something went wrong", 131000)
                with api.lock:
                    api.sent.append(body)
                    number = len(api.sent)
                self._reply(200, {"messaging_product": "whatsapp",
                                  "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                  "messages": [{"id": f"wamid.TEST{number:06d}"}]})

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _check_message(body: dict) -> str | None:
    """What the Cloud API would refuse in a message body, or None."""
    if body.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if not str(body.get("to") or "").isdigit():
        return "to"
    kind = body.get("type")
    if kind == "template":
        return _check_template(body.get("template") or {})
    if kind == "text":
        text = body.get("text", {}).get("body", "")
        return None if 0 < len(text) <= 4096 else "text.body"
    if kind != "interactive":
        return f"type {kind!r}"
    interactive = body["interactive"]
    if not 0 < len(interactive.get("body", {}).get("text", "")) <= 1024:
        return "interactive.body.text"
    action = interactive.get("action", {})
    if interactive.get("type") == "button":
        buttons = action.get("buttons", [])
        if not 0 < len(buttons) <= 3 or any(len(b["reply"]["title"]) > 20 for b in buttons):
            return "interactive.action.buttons"
        return None
    if interactive.get("type") == "list":
        rows = [row for section in action.get("sections", []) for row in section["rows"]]
        if not action.get("button") or len(action["button"]) > 20:
            return "interactive.action.button"
        if not 0 < len(rows) <= 10 or any(len(r["title"]) > 24 or len(r.get("description", "")) > 72
                                          for r in rows):
            return "interactive.action.sections.rows"
        return None
    return "interactive.type"


def _check_template(template: dict) -> str | None:
    """A template message as the Cloud API takes it: a name, a language code, and components
    whose body parameters are texts and whose quick-reply buttons carry an index and a payload."""
    if not template.get("name") or not (template.get("language") or {}).get("code"):
        return "template.name / template.language.code"
    for component in template.get("components", []):
        if component.get("type") == "body":
            if any(p.get("type") != "text" or not p.get("text") for p in component.get("parameters", [])):
                return "template.components.body.parameters"
        elif component.get("type") == "button":
            parameters = component.get("parameters", [])
            if component.get("sub_type") != "quick_reply" or not str(component.get("index", "")).isdigit() \
                    or len(parameters) != 1 or parameters[0].get("type") != "payload" \
                    or not parameters[0].get("payload"):
                return "template.components.button"
        else:
            return "template.components.type"
    return None
