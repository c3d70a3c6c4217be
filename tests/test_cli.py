"""The command dispatcher: help, version, unknown commands and options, one-line errors."""
from tests.conftest import run_command


def test_help_lists_every_command_of_the_design(isolated_settings):
    result = run_command(isolated_settings, "--help")
    assert result.returncode == 0
    for name in ["agi", "fastagi", "console", "worker", "ami", "demo", "simulate-call", "init-db",
                 "create-user", "render-dialplan", "make-prompts", "keys", "purge"]:
        assert f"  {name} " in result.stdout


def test_version(isolated_settings):
    result = run_command(isolated_settings, "--version")
    assert result.returncode == 0 and result.stdout.startswith("shakwa ")


def test_unknown_command_is_one_line_and_exit_2(isolated_settings):
    result = run_command(isolated_settings, "frobnicate")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unknown command 'frobnicate'" in result.stderr


def test_bad_option_is_one_line_and_exit_2(isolated_settings):
    result = run_command(isolated_settings, "init-db", "--bogus")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--bogus" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_stops_start_up_naming_it(isolated_settings, tmp_path):
    env_conf = isolated_settings.replace(database_url="mysql://nobody@nowhere/x")
    result = run_command(env_conf, "init-db")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "run_ivr.py: error: HOTLINE_DATABASE_URL: only sqlite:// and postgresql:// are supported, "
        "got 'mysql'")
