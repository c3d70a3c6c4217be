"""The wallboard page; its figures come over Socket.IO (``wallboard``) and refresh on events."""
from __future__ import annotations

from flask import jsonify, render_template

from agent_console.access import requires
from agent_console.database import session
from agent_console.wallboard import board, bp


@bp.get("/wallboard", endpoint="board")
@requires("wallboard.view")
def board_view():
    return render_template("wallboard/board.html", figures=board.figures(session()))


@bp.get("/wallboard.json")
@requires("wallboard.view")
def figures():
    return jsonify(board.figures(session()))
