"""Settings: defaults < HOTLINE_CONFIG file < HOTLINE_* environment; wrong values name the setting."""
import dataclasses

import pytest

from hotline import settings
from hotline.errors import SettingsError


def test_defaults_give_embedded_sqlite_under_var(tmp_path):
    conf = settings.load(environ={}, var_dir=str(tmp_path / "v"))
    assert conf.embedded
    assert conf.database_url == f"sqlite:///{tmp_path / 'v' / 'shakwa.db'}"
    assert conf.recordings_dir == tmp_path / "v" / "vault"
    assert conf.spool_dir == tmp_path / "v" / "spool"
    assert conf.languages == ("ar", "en") and conf.default_language == "ar"


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path):
    config = tmp_path / "hotline.toml"
    config.write_text('queue_name = "from-file"\nconsole_port = 6000\nlanguages = ["en"]\n')
    conf = settings.load(environ={"HOTLINE_CONFIG": str(config), "HOTLINE_CONSOLE_PORT": "7000",
                                  "HOTLINE_VAR_DIR": str(tmp_path)})
    assert conf.queue_name == "from-file"  # file beats default
    assert conf.console_port == 7000  # environment beats file
    assert conf.languages == ("en",)
    assert conf.var_dir == tmp_path


def test_postgresql_engine_waits_for_a_pooled_connection_as_configured(tmp_path):
    from hotline import db

    conf = settings.load(environ={"HOTLINE_DATABASE_POOL_TIMEOUT": "7"}, var_dir=str(tmp_path),
                         database_url="postgresql://postgres@127.0.0.1/postgres")
    settings.install(conf)
    try:
        assert db.engine().pool.timeout() == 7  # a burst of calls queues, it does not fail
    finally:
        db.dispose()


def test_environment_lists_are_comma_separated(tmp_path):
    conf = settings.load(environ={"HOTLINE_OFFICE_DAYS": "sun, mon,tue"}, var_dir=str(tmp_path))
    assert conf.office_days == ("sun", "mon", "tue")


def test_postgresql_url_gets_the_psycopg3_driver(tmp_path):
    conf = settings.load(environ={"HOTLINE_DATABASE_URL": "postgresql://u@db/hotline"},
                         var_dir=str(tmp_path))
    assert conf.database_url == "postgresql+psycopg://u@db/hotline"


def test_settings_are_frozen(tmp_path):
    conf = settings.load(environ={}, var_dir=str(tmp_path))
    with pytest.raises(dataclasses.FrozenInstanceError):
        conf.queue_name = "x"


@pytest.mark.parametrize("environ, message", [
    ({"HOTLINE_DATABASE_URL": "not a url"}, "HOTLINE_DATABASE_URL: not a database URL: 'not a url'"),
    ({"HOTLINE_DATABASE_URL": "mysql://x/y"}, "HOTLINE_DATABASE_URL: only sqlite:// and postgresql://"),
    ({"HOTLINE_REDIS_URL": "http://localhost"}, "HOTLINE_REDIS_URL: not a Redis URL"),
    ({"HOTLINE_CONSOLE_PORT": "eighty"}, "HOTLINE_CONSOLE_PORT: expected a whole number"),
    ({"HOTLINE_CONSOLE_PORT": "70000"}, "HOTLINE_CONSOLE_PORT: not a TCP port"),
    ({"HOTLINE_PII_KEY_FILE": "/nonexistent/pii.key"}, "HOTLINE_PII_KEY_FILE: no such key file"),
    ({"HOTLINE_AGE_IDENTITY_FILE": "/nonexistent/id"}, "HOTLINE_AGE_IDENTITY_FILE: no such key file"),
    ({"HOTLINE_AGE_RECIPIENTS": "age1notakey"}, "HOTLINE_AGE_RECIPIENTS: not an age X25519 recipient"),
    ({"HOTLINE_VOSK_MODEL_PATH": "/nonexistent/model"}, "HOTLINE_VOSK_MODEL_PATH: no such model folder"),
    ({"HOTLINE_OFFICE_HOURS": "20:00-08:00"}, "HOTLINE_OFFICE_HOURS: expected HH:MM-HH:MM"),
    ({"HOTLINE_LANGUAGES": "fr"}, "HOTLINE_LANGUAGES: choose from"),
    ({"HOTLINE_TIMEZONE": "Mars/Olympus"}, "HOTLINE_TIMEZONE: unknown time zone"),
    ({"HOTLINE_NO_SUCH_THING": "1"}, "HOTLINE_NO_SUCH_THING: unknown setting"),
    ({"HOTLINE_REDIS_URL": "redis://localhost"}, "pii_key_file: required when redis_url is set"),
    ({"HOTLINE_DATABASE_POOL_TIMEOUT": "0"}, "HOTLINE_DATABASE_POOL_TIMEOUT: must be positive"),
    ({"HOTLINE_DATABASE_POOL_SIZE": "0"}, "HOTLINE_DATABASE_POOL_SIZE: must be positive"),
    ({"HOTLINE_DATABASE_MAX_OVERFLOW": "-1"}, "HOTLINE_DATABASE_MAX_OVERFLOW: must not be negative"),
])
def test_wrong_values_stop_with_one_line_naming_the_setting(tmp_path, environ, message):
    with pytest.raises(SettingsError) as failure:
        settings.load(environ={**environ, "HOTLINE_VAR_DIR": str(tmp_path)})
    assert str(failure.value).startswith(message)
    assert "\n" not in str(failure.value)


def test_unknown_key_in_file_names_file_and_key(tmp_path):
    config = tmp_path / "hotline.toml"
    config.write_text('database_ur1 = "sqlite:///x.db"\n')
    with pytest.raises(SettingsError, match=r"hotline.toml: unknown setting 'database_ur1'"):
        settings.load(environ={"HOTLINE_CONFIG": str(config)})


def test_missing_or_broken_config_file(tmp_path):
    with pytest.raises(SettingsError, match="HOTLINE_CONFIG: no such file"):
        settings.load(environ={"HOTLINE_CONFIG": str(tmp_path / "missing.toml")})
    broken = tmp_path / "broken.toml"
    broken.write_text("queue_name = \n")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        settings.load(environ={"HOTLINE_CONFIG": str(broken)})


def test_wrong_type_in_file(tmp_path):
    config = tmp_path / "hotline.toml"
    config.write_text('fastagi_port = "x"\n')
    with pytest.raises(SettingsError, match=r"fastagi_port in .*hotline.toml: expected a whole number"):
        settings.load(environ={"HOTLINE_CONFIG": str(config)})


def test_every_default_is_documented_with_a_comment():
    text = settings.resources.read_text("defaults.toml").splitlines()
    for number, line in enumerate(text):
        if line and not line.startswith("#") and "=" in line:
            above = number - 1
            while above >= 0 and text[above] and not text[above].startswith("#"):
                above -= 1  # settings grouped under one comment
            assert above >= 0 and text[above].startswith("#"), f"undocumented setting: {line}"
