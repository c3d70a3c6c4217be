"""Failed background jobs are visible to supervisors and can be queued again (audited)."""
import time

from sqlalchemy import select

from hotline import db, jobs
from hotline.models import AuditEntry
from tests.console.conftest import token


def _wait_failed(job_id: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and job_id not in {j["id"] for j in jobs.failed()}:
        time.sleep(0.05)


def test_supervisor_sees_and_requeues_a_failed_job(client_as, tmp_path):
    marker = tmp_path / "tries.txt"
    job_id = jobs.enqueue("tests.support.jobfuncs.fail_until", str(marker), 2, retries=0)
    _wait_failed(job_id)
    supervisor = client_as("supervisor")
    page = supervisor.get("/jobs/failed").get_data(as_text=True)
    assert job_id in page and "transient failure 1" in page and "المهام المتعثرة" in page
    answer = supervisor.post(f"/jobs/{job_id}/requeue", data={"csrf_token": token(supervisor, "/jobs/failed")})
    assert answer.status_code == 302
    jobs.embedded_worker().join()
    assert marker.read_text().splitlines() == ["try 1", "try 2"]  # ran again, and succeeded
    assert job_id not in {j["id"] for j in jobs.failed()}
    with db.session_scope() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "job.requeued"))
        assert entry.object_id == job_id and entry.actor == "supervisor"


def test_other_roles_cannot_see_or_requeue_failed_jobs(client_as):
    for name in ("agent", "reviewer", "officer"):
        client = client_as(name)
        assert client.get("/jobs/failed").status_code == 403
        assert client.post("/jobs/x/requeue", data={"csrf_token": token(client, "/account")}).status_code in (400, 403)


def test_requeue_needs_csrf_and_an_existing_job(client_as):
    supervisor = client_as("supervisor")
    assert supervisor.post("/jobs/nope/requeue").status_code == 400  # no CSRF token
    answer = supervisor.post("/jobs/nope/requeue", data={"csrf_token": token(supervisor, "/jobs/failed")},
                             follow_redirects=True)
    assert "لا توجد مهمة متعثرة بهذا الرقم." in answer.get_data(as_text=True)
