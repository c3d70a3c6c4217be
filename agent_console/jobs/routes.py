"""The failed-jobs page: what failed and why, and a button to queue it again (audited)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from agent_console.access import requires
from agent_console.database import session
from agent_console.jobs import bp
from hotline import audit, jobs
from hotline.models import User


@bp.get("/jobs/failed", endpoint="failed")
@requires("jobs.manage")
def failed_jobs():
    return render_template("jobs/failed.html", rows=jobs.failed())


@bp.post("/jobs/<job_id>/requeue", endpoint="requeue")
@requires("jobs.manage")
def requeue(job_id: str):
    if jobs.requeue(job_id):
        db = session()
        audit.record(db, "job.requeued", user=db.get(User, current_user.id), object_type="job",
                     object_id=job_id)
        db.commit()
        flash(_("The job was queued again."), "ok")
    else:
        flash(_("No failed job with this id."), "error")
    return redirect(url_for("jobs.failed"))
