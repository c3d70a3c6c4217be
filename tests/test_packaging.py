"""A non-editable install (a wheel) carries config/, the migrations and the console's assets."""
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_ships_data_and_finds_config_when_installed(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    str(ROOT), "-w", str(tmp_path)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("shakwa-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for folder, package in (("config", "shakwa_config"), ("agent_console/templates", None),
                            ("agent_console/static", None), ("agent_console/translations", None)):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".cfg":
                relative = path.relative_to(ROOT / folder)
                expected.add(f"{package}/{relative}" if package else f"{folder}/{relative}")
    expected |= {f"hotline/migrations/{p.name}" for p in (ROOT / "hotline/migrations").glob("*.mako")}
    expected |= {f"hotline/migrations/versions/{p.name}"
                 for p in (ROOT / "hotline/migrations/versions").glob("*.py")}
    assert expected - names == set()

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("from hotline import resources, settings;"
             "print(resources.config_dir());"
             "print(settings.load(environ={}).queue_name)")
    shown = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path[:0] = [{str(site)!r}] + "
                            f"[p for p in {sys.path!r} if 'site-packages' in p]; {probe}"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert shown.returncode == 0, shown.stderr
    config_dir, queue = shown.stdout.split()
    assert Path(config_dir) == site / "shakwa_config" and queue == "hotline"
