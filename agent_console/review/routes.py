"""The review queue, the review page (player + transcript + scorecard) and audited playback."""
from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from agent_console import agents, casefile
from agent_console.access import requires
from agent_console.database import get_or_404, session
from agent_console.models import Scorecard
from agent_console.review import bp
from agent_console.review.forms import criteria, scorecard_form, total
from hotline import audit
from hotline.errors import NotFound
from hotline.models import AuditEntry, Case, Recording, User, utcnow


@bp.get("/review")
@requires("review.score")
def queue():
    db = session()
    scored = select(Scorecard.case_id).where(Scorecard.reviewer_id == current_user.id)
    rows = db.execute(select(Case, Recording).join(Recording, Recording.case_id == Case.id)
                      .where(Recording.status == "stored", Case.id.not_in(scored))
                      .order_by(Recording.id.desc()).limit(100)).all()
    return render_template("review/queue.html", rows=rows)


@bp.route("/review/<int:case_id>", methods=["GET", "POST"])
@requires("review.score")
def case(case_id: int):
    db = session()
    found = get_or_404(Case, case_id)
    # The agent's conversation is what a reviewer scores; the caller's IVR message comes after.
    recordings = sorted((r for r in casefile.recordings(db, found) if r.status == "stored"),
                        key=lambda r: r.kind != "agent_call")
    form = scorecard_form()
    if form.validate_on_submit():
        scores = {c["code"]: form[f"score_{c['code']}"].data for c in criteria()}
        db.add(Scorecard(case_id=found.id, recording_id=recordings[0].id if recordings else None,
                         reviewer_id=current_user.id, scores=scores, total=total(scores),
                         comment=form.comment.data or None))
        audit.record(db, "review.scored", user=db.get(User, current_user.id), object_type="case",
                     object_id=found.id, case_id=found.id, detail={"total": total(scores)})
        db.commit()
        flash(_("Scorecard saved."), "ok")
        return redirect(url_for("review.queue"))
    cards = db.scalars(select(Scorecard).where(Scorecard.case_id == found.id)
                       .order_by(Scorecard.id.desc())).all()
    agents_by_id = {u.id: u for u in db.scalars(select(User).where(
        User.id.in_([r.agent_user_id for r in recordings if r.agent_user_id])))}
    return render_template("review/case.html", case=found, recordings=recordings, form=form,
                           agents_by_id=agents_by_id,
                           criteria=criteria(), cards=cards,
                           transcript=casefile.transcript(db, found, current_user))


def _playable(db, recording_id: int) -> Recording:
    """The recording if the signed-in user may hear it (any, or the one of the case they are
    completing); 404 or 403 otherwise."""
    recording = get_or_404(Recording, recording_id)
    if not current_user.can("recordings.play") and not (
            recording.case_id and agents.is_handling(db, current_user.id, recording.case_id)):
        abort(403)
    return recording


@bp.post("/recordings/<int:recording_id>/listen")
@requires("recordings.play", "recordings.play_own_case")
def listen(recording_id: int):
    """The reason for listening, given in a POST body: a reason in the audio URL would end up in
    access logs and the browser's history. It is kept in the (signed) session cookie until the
    first byte is served, when the playback is audited with it."""
    form = FlaskForm()
    reason = (request.form.get("reason") or "").strip()
    if not form.validate_on_submit() or not 3 <= len(reason) <= 500:
        return Response(_("Give a reason for listening (3 to 500 characters)."), 400,
                        mimetype="text/plain")
    _playable(session(), recording_id)
    reasons = dict(list(cookie.get(LISTEN_KEY, {}).items())[-9:])  # a few recordings at most
    reasons[str(recording_id)] = reason
    cookie[LISTEN_KEY] = reasons
    return jsonify({"url": url_for("review.audio", recording_id=recording_id)})


LISTEN_KEY = "listen_reasons"


@bp.get("/recordings/<int:recording_id>/audio")
@requires("recordings.play", "recordings.play_own_case")
def audio(recording_id: int):
    """The decrypted WAV, with byte ranges; a reason (POSTed to ``listen``) is required and
    every playback audited."""
    from recordings import playback, vault

    if "reason" in request.args:
        return Response("سبب الاستماع يرسل في طلب POST لا في الرابط · Give the reason by POST to "
                        f"/recordings/{recording_id}/listen, never in the URL.", 400, mimetype="text/plain")
    reason = cookie.get(LISTEN_KEY, {}).get(str(recording_id))
    if not reason:
        return Response(_("Give a reason for listening (3 to 500 characters)."), 400,
                        mimetype="text/plain")
    db = session()
    recording = _playable(db, recording_id)
    try:
        reader = playback.open_audio(db, recording_id)
        total = reader.size
        span = playback.byte_range(total, request.headers.get("Range"))
        if span is None:  # asked for whole: checked whole, against its SHA-256
            body = vault.read_checked(reader, recording.vault_path, recording.sha256)
        else:  # a seek: only the chunks that hold the range, each authenticated
            body = playback.stream(reader, *span)
    except NotFound:
        abort(404)
    except playback.RangeNotSatisfiable as exc:
        reader.close()
        return Response(status=416, headers={"Content-Range": f"bytes */{exc.total}"})
    except vault.IntegrityError:
        return Response(_("This recording failed its integrity check."), 409, mimetype="text/plain")
    except vault.WrongKey:
        return Response(_("This server holds no key that opens this recording."), 503,
                        mimetype="text/plain")
    if not _listening(db, recording_id):
        # One entry per listening, whatever range opens it: the browser's further range requests
        # within LISTENING are seeks in the same listening.
        audit.record(db, "recording.played", user=db.get(User, current_user.id),
                     object_type="recording", object_id=recording_id, case_id=recording.case_id,
                     reason=reason)
        db.commit()
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "no-store"}
    if span is None:
        return Response(body, 200, mimetype="audio/wav", headers=headers)
    start, end = span
    headers["Content-Range"] = f"bytes {start}-{end}/{total}"
    headers["Content-Length"] = str(end - start + 1)
    return Response(body, 206, mimetype="audio/wav", headers=headers, direct_passthrough=True)


LISTENING = timedelta(minutes=30)


def _listening(db, recording_id: int) -> bool:
    """True when this user's playback of this recording was audited within LISTENING."""
    since = utcnow() - LISTENING
    return db.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "recording.played", AuditEntry.user_id == current_user.id,
        AuditEntry.object_id == str(recording_id), AuditEntry.at >= since).limit(1)) is not None
