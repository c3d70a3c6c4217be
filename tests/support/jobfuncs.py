"""Job functions for the job-queue tests (run by a real RQ worker or the embedded worker)."""
from pathlib import Path


def write_marker(path: str, text: str) -> str:
    """Append ``text`` to the file at ``path`` (so a test sees how often the job ran)."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return text


def fail_until(path: str, attempts: int) -> None:
    """Fail until the file at ``path`` has ``attempts`` lines, counting each try."""
    marker = Path(path)
    tries = len(marker.read_text().splitlines()) if marker.exists() else 0
    write_marker(path, f"try {tries + 1}")
    if tries + 1 < attempts:
        raise RuntimeError(f"transient failure {tries + 1}")
