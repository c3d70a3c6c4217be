"""Settings: built-in defaults < the file named by HOTLINE_CONFIG < HOTLINE_* environment.

One frozen :class:`Settings` object per process; no other module reads ``os.environ``.
A wrong value stops start-up with a :class:`SettingsError` naming the setting.
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from hotline import resources
from hotline.errors import SettingsError

ENV_PREFIX = "HOTLINE_"
CONFIG_ENV = "HOTLINE_CONFIG"

_LANGUAGES = {"ar", "en"}
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_RECIPIENT = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")
_ENGINES = {"vosk", "whisper"}
_RESAMPLERS = {"soxr", "pydub"}
_WHISPER_DEVICES = {"auto", "cpu", "cuda"}


@dataclass(frozen=True)
class Settings:
    """Every setting of a Shakwa process, resolved and checked."""

    var_dir: Path
    database_url: str
    database_pool_timeout: int
    database_pool_size: int
    database_max_overflow: int
    redis_url: str
    recordings_dir: Path
    spool_dir: Path
    age_recipients: tuple[str, ...]
    age_identity_file: Path
    retention_days: int
    retention_days_by_category: dict[str, int]
    vosk_model_path: Path | None
    transcription_engine: str
    transcription_engine_by_language: dict[str, str]
    transcription_resampler: str
    whisper_model_path: Path | None
    whisper_device: str
    whisper_compute_type: str
    whisper_beam_size: int
    whisper_cpu_threads: int
    sounds_dir: Path
    languages: tuple[str, ...]
    queue_name: str
    agent_interface: str
    queue_wrapup_seconds: int
    record_agent_calls: bool
    callback_offer_seconds: int
    callback_dial: str
    callback_caller_id: str
    callback_attempts: int
    callback_retry_seconds: int
    office_hours: str
    office_days: tuple[str, ...]
    timezone: str
    fastagi_host: str
    fastagi_port: int
    ami_host: str
    ami_port: int
    ami_username: str
    ami_secret: str
    console_host: str
    console_port: int
    secret_key: str
    console_secure_cookies: bool
    metrics_allow_from: tuple[str, ...]
    service_level_seconds: int
    work_claim_minutes: int
    sla_default_days: int
    pii_key_file: Path
    audit_anchor_file: Path
    identity_reveal_minutes: int
    complaint_sequence_digits: int
    log_level: str
    whatsapp_verify_token: str
    whatsapp_app_secret: str
    whatsapp_access_token: str
    whatsapp_graph_url: str
    whatsapp_numbers: tuple[tuple[str, str], ...]  # (business number, phone_number_id)
    whatsapp_max_photo_bytes: int
    whatsapp_max_photo_side: int
    whatsapp_session_minutes: int
    notify_adapter: str
    notify_sms_url: str
    notify_sms_account: str
    notify_sms_token: str
    notify_sms_sender: str
    notify_sms_webhook_url: str
    notify_whatsapp_template: str
    notify_whatsapp_language: str
    notify_attempts: int
    duplicate_radius_m: int
    duplicate_window_days: int
    duplicate_min_score: int  # percent
    duplicate_photo_bits: int
    open_data_min_count: int  # k of k-anonymity
    survey_channels: dict[str, str]  # case channel -> ivr | whatsapp | sms | none (issue 18)
    survey_delay_minutes: int
    survey_attempts: int
    survey_retry_minutes: int
    survey_quiet_hours: str
    survey_fallback_sms: bool
    survey_dial: str
    survey_caller_id: str
    survey_whatsapp_template: str
    close_silent_days: int
    reopen_to_parent_from: int
    escalation_reminder_hours: int
    escalation_parent_hours: int
    escalation_parent_hours_by_kind: dict[str, int]
    escalation_answer_days: int
    # Where these settings came from: the HOTLINE_CONFIG file (absolute) and the keys set by
    # HOTLINE_* variables (render-dialplan writes the one into Asterisk's AGI wrapper and warns
    # about the others, which Asterisk's environment does not have).
    config_file: Path | None = None
    from_environment: tuple[str, ...] = ()

    @property
    def embedded(self) -> bool:
        """True when no Redis is configured: one process, in-process events and jobs."""
        return not self.redis_url

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def transcription_engine_for(self, language: str | None) -> str:
        """The speech engine ("vosk" or "whisper") that transcribes ``language``."""
        return self.transcription_engine_by_language.get(language or "", self.transcription_engine)

    @property
    def keys_dir(self) -> Path:
        return self.var_dir / "keys"

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some values changed (already resolved values, for tests)."""
        return dataclasses.replace(self, **changes)


def defaults() -> dict[str, Any]:
    """The built-in defaults from config/defaults.toml."""
    return tomllib.loads(resources.read_text("defaults.toml"))


def load(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, the HOTLINE_CONFIG file, the environment and overrides."""
    environ = os.environ if environ is None else environ
    base = defaults()
    raw: dict[str, Any] = dict(base)
    source = {key: "default" for key in base}

    config_file = environ.get(CONFIG_ENV, "")
    if config_file:
        for key, value in _read_file(config_file).items():
            if key not in base:
                raise SettingsError(f"{config_file}: unknown setting {key!r}")
            raw[key] = _coerce(key, value, base[key], f"{key} in {config_file}")
            source[key] = "file"

    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV:
            continue
        key = name[len(ENV_PREFIX):].lower()
        if key not in base:
            raise SettingsError(f"{name}: unknown setting (see config/defaults.toml)")
        raw[key] = _coerce(key, value, base[key], name)
        source[key] = "environment"

    for key, value in overrides.items():
        if key not in base:
            raise SettingsError(f"unknown setting {key!r}")
        raw[key] = _coerce(key, value, base[key], key)
        source[key] = "override"

    return dataclasses.replace(
        _resolve(raw, source), config_file=Path(config_file).resolve() if config_file else None,
        from_environment=tuple(key for key, where in source.items() if where == "environment"))


def _read_file(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(f"{CONFIG_ENV}: no such file: {path}") from None
    except OSError as exc:
        raise SettingsError(f"{CONFIG_ENV}: cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{CONFIG_ENV}: {path} is not valid TOML: {exc}") from None


def _coerce(key: str, value: Any, default: Any, where: str) -> Any:
    """Convert a file or environment value to the type of the built-in default."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"{where}: expected true or false, got {value!r}")
    if isinstance(default, int):
        if isinstance(value, bool):
            raise SettingsError(f"{where}: expected a whole number, got {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingsError(f"{where}: expected a whole number, got {value!r}") from None
    if isinstance(default, list):
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return list(value)
        raise SettingsError(f"{where}: expected a list of strings, got {value!r}")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if not isinstance(value, str):
        raise SettingsError(f"{where}: expected text, got {value!r}")
    return value


def _resolve(raw: dict[str, Any], source: dict[str, str]) -> Settings:
    """Fill derived defaults and check every value."""

    def name(key: str) -> str:
        return f"{ENV_PREFIX}{key.upper()}" if source[key] == "environment" else key

    def path(key: str, fallback: Path | None = None) -> Path | None:
        value = raw[key]
        if not value:
            return fallback
        return Path(value).expanduser().resolve()

    var_dir = path("var_dir")
    redis_url = raw["redis_url"].strip()
    database_url = _database_url(raw["database_url"].strip(), var_dir, name("database_url"))
    if redis_url and not re.match(r"^(redis|rediss|unix)://", redis_url):
        raise SettingsError(f"{name('redis_url')}: not a Redis URL: {redis_url!r}")

    recipients = tuple(raw["age_recipients"])
    for recipient in recipients:
        if not _RECIPIENT.match(recipient):
            raise SettingsError(f"{name('age_recipients')}: not an age X25519 recipient: {recipient!r}")

    keys_dir = var_dir / "keys"
    for key in ("age_identity_file", "pii_key_file"):
        if raw[key] and not path(key).is_file():
            raise SettingsError(f"{name(key)}: no such key file: {raw[key]}")
    if redis_url and not raw["pii_key_file"]:
        raise SettingsError(
            f"{name('pii_key_file')}: required when redis_url is set (every host must share one key)")
    if redis_url and not raw["secret_key"]:
        raise SettingsError(
            f"{name('secret_key')}: required when redis_url is set (every console must share it)")

    model = path("vosk_model_path")
    if model is not None and not model.is_dir():
        raise SettingsError(f"{name('vosk_model_path')}: no such model folder: {raw['vosk_model_path']}")
    whisper_model = path("whisper_model_path")
    if whisper_model is not None and not whisper_model.is_dir():
        raise SettingsError(f"{name('whisper_model_path')}: no such model folder: {raw['whisper_model_path']}")
    engine, engines = _transcription_engines(raw, name)

    languages = tuple(raw["languages"])
    if not languages or not set(languages) <= _LANGUAGES:
        raise SettingsError(f"{name('languages')}: choose from {sorted(_LANGUAGES)}, got {list(languages)}")
    hours = _HOURS.match(raw["office_hours"])
    if not hours or hours.group(1, 2) >= hours.group(3, 4):
        raise SettingsError(f"{name('office_hours')}: expected HH:MM-HH:MM, got {raw['office_hours']!r}")
    days = tuple(day.lower() for day in raw["office_days"])
    if not set(days) <= set(_DAYS):
        raise SettingsError(f"{name('office_days')}: use {', '.join(_DAYS)}; got {list(raw['office_days'])}")
    _check_timezone(raw["timezone"], name("timezone"))
    for key in ("fastagi_port", "ami_port", "console_port"):
        if not 0 < raw[key] < 65536:
            raise SettingsError(f"{name(key)}: not a TCP port: {raw[key]}")
    retention_by_category = _category_days(raw["retention_days_by_category"],
                                           name("retention_days_by_category"))
    if not 3 <= raw["complaint_sequence_digits"] <= 12:
        raise SettingsError(f"{name('complaint_sequence_digits')}: must be between 3 and 12")
    if raw["log_level"].upper() not in _LOG_LEVELS:
        raise SettingsError(f"{name('log_level')}: choose from {sorted(_LOG_LEVELS)}")
    for key in ("ami_host", "ami_username"):
        if not raw[key].strip():
            raise SettingsError(f"{name(key)}: must not be empty")
    if not raw["queue_name"].strip():
        raise SettingsError(f"{name('queue_name')}: must not be empty")
    whatsapp_numbers = _whatsapp_numbers(raw["whatsapp_numbers"], name("whatsapp_numbers"))
    if not re.match(r"^https?://\S+$", raw["whatsapp_graph_url"]):
        raise SettingsError(f"{name('whatsapp_graph_url')}: not an http(s) URL: {raw['whatsapp_graph_url']!r}")
    for key in ("whatsapp_max_photo_bytes", "whatsapp_max_photo_side", "whatsapp_session_minutes",
                "database_pool_timeout", "database_pool_size", "service_level_seconds",
                "work_claim_minutes", "sla_default_days", "callback_attempts"):
        if raw[key] <= 0:
            raise SettingsError(f"{name(key)}: must be positive: {raw[key]}")
    if not 1 <= raw["identity_reveal_minutes"] <= 480:
        raise SettingsError(f"{name('identity_reveal_minutes')}: must be between 1 and 480")
    for key in ("retention_days", "database_max_overflow", "queue_wrapup_seconds",
                "callback_offer_seconds", "callback_retry_seconds"):
        if raw[key] < 0:
            raise SettingsError(f"{name(key)}: must not be negative: {raw[key]}")

    _check_notify(raw, name, whatsapp_numbers)
    _check_duplicates(raw, name)
    metrics_allow_from = _networks(raw["metrics_allow_from"], name("metrics_allow_from"))

    return Settings(
        var_dir=var_dir,
        database_url=database_url,
        database_pool_timeout=raw["database_pool_timeout"],
        database_pool_size=raw["database_pool_size"],
        database_max_overflow=raw["database_max_overflow"],
        redis_url=redis_url,
        recordings_dir=path("recordings_dir", var_dir / "vault"),
        spool_dir=path("spool_dir", var_dir / "spool"),
        age_recipients=recipients,
        age_identity_file=path("age_identity_file", keys_dir / "age-identity.txt"),
        retention_days=raw["retention_days"],
        retention_days_by_category=retention_by_category,
        vosk_model_path=model,
        transcription_engine=engine,
        transcription_engine_by_language=engines,
        transcription_resampler=raw["transcription_resampler"].strip(),
        whisper_model_path=whisper_model,
        whisper_device=raw["whisper_device"].strip().lower(),
        whisper_compute_type=raw["whisper_compute_type"].strip().lower(),
        whisper_beam_size=raw["whisper_beam_size"],
        whisper_cpu_threads=raw["whisper_cpu_threads"],
        sounds_dir=path("sounds_dir", var_dir / "sounds"),
        languages=languages,
        queue_name=raw["queue_name"].strip(),
        agent_interface=_agent_interface(raw["agent_interface"].strip(), name("agent_interface")),
        queue_wrapup_seconds=raw["queue_wrapup_seconds"],
        record_agent_calls=raw["record_agent_calls"],
        callback_offer_seconds=raw["callback_offer_seconds"],
        callback_dial=_dial_template(raw["callback_dial"].strip(), name("callback_dial")),
        callback_caller_id=raw["callback_caller_id"].strip(),
        callback_attempts=raw["callback_attempts"],
        callback_retry_seconds=raw["callback_retry_seconds"],
        office_hours=raw["office_hours"],
        office_days=days,
        timezone=raw["timezone"],
        fastagi_host=raw["fastagi_host"],
        fastagi_port=raw["fastagi_port"],
        ami_host=raw["ami_host"].strip(),
        ami_port=raw["ami_port"],
        ami_username=raw["ami_username"].strip(),
        ami_secret=raw["ami_secret"],
        console_host=raw["console_host"],
        console_port=raw["console_port"],
        secret_key=raw["secret_key"],
        console_secure_cookies=raw["console_secure_cookies"],
        metrics_allow_from=metrics_allow_from,
        service_level_seconds=raw["service_level_seconds"],
        work_claim_minutes=raw["work_claim_minutes"],
        sla_default_days=raw["sla_default_days"],
        pii_key_file=path("pii_key_file", keys_dir / "pii.key"),
        audit_anchor_file=path("audit_anchor_file", var_dir / "audit" / "anchor.log"),
        identity_reveal_minutes=raw["identity_reveal_minutes"],
        complaint_sequence_digits=raw["complaint_sequence_digits"],
        log_level=raw["log_level"].upper(),
        whatsapp_verify_token=raw["whatsapp_verify_token"],
        whatsapp_app_secret=raw["whatsapp_app_secret"],
        whatsapp_access_token=raw["whatsapp_access_token"],
        whatsapp_graph_url=raw["whatsapp_graph_url"].rstrip("/"),
        whatsapp_numbers=whatsapp_numbers,
        whatsapp_max_photo_bytes=raw["whatsapp_max_photo_bytes"],
        whatsapp_max_photo_side=raw["whatsapp_max_photo_side"],
        whatsapp_session_minutes=raw["whatsapp_session_minutes"],
        notify_adapter=raw["notify_adapter"].strip(),
        notify_sms_url=raw["notify_sms_url"].strip(),
        notify_sms_account=raw["notify_sms_account"].strip(),
        notify_sms_token=raw["notify_sms_token"].strip(),
        notify_sms_sender=raw["notify_sms_sender"].strip(),
        notify_sms_webhook_url=raw["notify_sms_webhook_url"].strip(),
        notify_whatsapp_template=raw["notify_whatsapp_template"].strip(),
        notify_whatsapp_language=raw["notify_whatsapp_language"].strip(),
        notify_attempts=raw["notify_attempts"],
        duplicate_radius_m=raw["duplicate_radius_m"],
        duplicate_window_days=raw["duplicate_window_days"],
        duplicate_min_score=raw["duplicate_min_score"],
        duplicate_photo_bits=raw["duplicate_photo_bits"],
        open_data_min_count=raw["open_data_min_count"],
        **_closing_the_loop(raw, name),
    )


def _transcription_engines(raw: dict[str, Any], name) -> tuple[str, dict[str, str]]:
    """The default engine and the per-language ones ("ar=whisper"), with the Whisper options."""
    default = raw["transcription_engine"].strip().lower()
    if default not in _ENGINES:
        raise SettingsError(f"{name('transcription_engine')}: choose from {sorted(_ENGINES)}, got {default!r}")
    engines: dict[str, str] = {}
    for item in raw["transcription_engine_by_language"]:
        language, _, kind = (part.strip().lower() for part in item.partition("="))
        if language not in _LANGUAGES or kind not in _ENGINES:
            raise SettingsError(f"{name('transcription_engine_by_language')}: expected language=engine "
                                f"with a language of {sorted(_LANGUAGES)} and an engine of "
                                f"{sorted(_ENGINES)}, got {item!r}")
        engines[language] = kind
    if raw["transcription_resampler"].strip() not in _RESAMPLERS:
        raise SettingsError(f"{name('transcription_resampler')}: choose from {sorted(_RESAMPLERS)}")
    if raw["whisper_device"].strip().lower() not in _WHISPER_DEVICES:
        raise SettingsError(f"{name('whisper_device')}: choose from {sorted(_WHISPER_DEVICES)}")
    if not 1 <= raw["whisper_beam_size"] <= 10:
        raise SettingsError(f"{name('whisper_beam_size')}: must be between 1 and 10")
    if raw["whisper_cpu_threads"] < 0:
        raise SettingsError(f"{name('whisper_cpu_threads')}: must not be negative")
    return default, engines


def _check_notify(raw: dict[str, Any], name, whatsapp_numbers) -> None:
    """The chosen notification adapter must have what it needs to send."""
    adapter = raw["notify_adapter"].strip()
    needs = {"": (), "sms": ("notify_sms_url", "notify_sms_account", "notify_sms_token", "notify_sms_sender"),
             "whatsapp": ("whatsapp_access_token", "notify_whatsapp_template", "notify_whatsapp_language")}
    if adapter not in needs:
        raise SettingsError(f"{name('notify_adapter')}: choose sms, whatsapp or empty, got {adapter!r}")
    for key in needs[adapter]:
        if not raw[key].strip():
            raise SettingsError(f"{name(key)}: required when notify_adapter is {adapter!r}")
    if adapter == "whatsapp" and not any(phone_id for _number, phone_id in whatsapp_numbers):
        raise SettingsError(f"{name('whatsapp_numbers')}: give a phone_number_id (number=id) "
                            "when notify_adapter is 'whatsapp'")
    if not 1 <= raw["notify_attempts"] <= 20:
        raise SettingsError(f"{name('notify_attempts')}: must be between 1 and 20")


def _check_duplicates(raw: dict[str, Any], name) -> None:
    """The duplicate search and the open-data export need sane bounds (issue 16)."""
    for key, low, high in (("duplicate_radius_m", 10, 5000), ("duplicate_window_days", 1, 365),
                           ("duplicate_min_score", 1, 100), ("duplicate_photo_bits", 0, 32),
                           ("open_data_min_count", 1, 1000)):
        if not low <= raw[key] <= high:
            raise SettingsError(f"{name(key)}: must be between {low} and {high}, got {raw[key]}")


_SURVEY_CHANNELS = {"ivr", "whatsapp", "sms", "none"}
_ENTITY_KINDS = {"ministry", "governorate", "local_unit", "authority"}


def _closing_the_loop(raw: dict[str, Any], name) -> dict[str, Any]:
    """Satisfaction surveys, reopening, closing by silence and the escalation ladder (issue 18)."""
    channels: dict[str, str] = {}
    for item in raw["survey_channels"]:
        case_channel, _, survey = (part.strip().lower() for part in item.partition("="))
        if not case_channel or survey not in _SURVEY_CHANNELS:
            raise SettingsError(f"{name('survey_channels')}: expected case channel=survey channel "
                                f"with a survey channel of {sorted(_SURVEY_CHANNELS)}, got {item!r}")
        channels[case_channel] = survey
    quiet = raw["survey_quiet_hours"].strip()
    hours = _HOURS.match(quiet)
    if quiet and (not hours or hours.group(1, 2) == hours.group(3, 4)):
        raise SettingsError(f"{name('survey_quiet_hours')}: expected HH:MM-HH:MM (it may pass "
                            f"midnight) or empty, got {quiet!r}")
    for key in ("survey_attempts", "survey_retry_minutes", "close_silent_days",
                "reopen_to_parent_from", "escalation_parent_hours", "escalation_answer_days"):
        if raw[key] <= 0:
            raise SettingsError(f"{name(key)}: must be positive: {raw[key]}")
    for key in ("survey_delay_minutes", "escalation_reminder_hours"):
        if raw[key] < 0:
            raise SettingsError(f"{name(key)}: must not be negative: {raw[key]}")
    by_kind: dict[str, int] = {}
    for item in raw["escalation_parent_hours_by_kind"]:
        kind, _, value = (part.strip() for part in item.partition("="))
        if kind not in _ENTITY_KINDS or not value.isdigit() or int(value) <= 0:
            raise SettingsError(f"{name('escalation_parent_hours_by_kind')}: expected kind=hours with a "
                                f"kind of {sorted(_ENTITY_KINDS)}, got {item!r}")
        by_kind[kind] = int(value)
    ladder = [raw["escalation_parent_hours"], *by_kind.values()]
    if any(hours <= raw["escalation_reminder_hours"] for hours in ladder):
        raise SettingsError(f"{name('escalation_parent_hours')}: a case goes up only after its "
                            f"reminder: must be more than escalation_reminder_hours "
                            f"({raw['escalation_reminder_hours']})")
    return {"survey_channels": channels, "survey_delay_minutes": raw["survey_delay_minutes"],
            "survey_attempts": raw["survey_attempts"], "survey_retry_minutes": raw["survey_retry_minutes"],
            "survey_quiet_hours": quiet, "survey_fallback_sms": raw["survey_fallback_sms"],
            "survey_dial": _dial_template(raw["survey_dial"].strip(), name("survey_dial")),
            "survey_caller_id": raw["survey_caller_id"].strip(),
            "survey_whatsapp_template": raw["survey_whatsapp_template"].strip(),
            "close_silent_days": raw["close_silent_days"],
            "reopen_to_parent_from": raw["reopen_to_parent_from"],
            "escalation_reminder_hours": raw["escalation_reminder_hours"],
            "escalation_parent_hours": raw["escalation_parent_hours"],
            "escalation_parent_hours_by_kind": by_kind,
            "escalation_answer_days": raw["escalation_answer_days"]}


def _database_url(url: str, var_dir: Path, where: str) -> str:
    if not url:
        return f"sqlite:///{var_dir / 'shakwa.db'}"
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SettingsError(f"{where}: not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise SettingsError(f"{where}: only sqlite:// and postgresql:// are supported, got {backend!r}")


def _whatsapp_numbers(items: list[str], where: str) -> tuple[tuple[str, str], ...]:
    """Parse "number=phone_number_id" items (the id may be empty until Meta assigns one)."""
    pairs = []
    for item in items:
        number, _, number_id = item.partition("=")
        number, number_id = number.strip(), number_id.strip()
        if not re.match(r"^0\d{10}$", number) or (number_id and not number_id.isdigit()):
            raise SettingsError(f"{where}: expected \"01XXXXXXXXX=<phone_number_id>\", got {item!r}")
        pairs.append((number, number_id))
    return tuple(pairs)


def _dial_template(template: str, where: str) -> str:
    """A dial string with ``{number}`` (PJSIP/{number}@trunk)."""
    if "{number}" not in template or "/" not in template:
        raise SettingsError(f"{where}: expected a dial string with {{number}}, such as "
                            f"PJSIP/{{number}}@trunk, got {template!r}")
    return template


def _agent_interface(template: str, where: str) -> str:
    """An interface template with ``{extension}`` (PJSIP/{extension}, Local/{extension}@agents/n)."""
    if "{extension}" not in template or "/" not in template:
        raise SettingsError(f"{where}: expected an interface with {{extension}}, such as "
                            f"PJSIP/{{extension}}, got {template!r}")
    try:
        template.format(extension="1001")
    except (KeyError, IndexError, ValueError):
        raise SettingsError(f"{where}: only {{extension}} may be filled in: {template!r}") from None
    return template


def _networks(items: list[str], where: str) -> tuple[str, ...]:
    import ipaddress

    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingsError(f"{where}: not an address or network: {item!r}") from None
    return tuple(items)


def _category_days(items: list[str], where: str) -> dict[str, int]:
    days: dict[str, int] = {}
    for item in items:
        category, _, value = item.partition("=")
        if not category.strip() or not value.strip().isdigit():
            raise SettingsError(f"{where}: expected category=days, got {item!r}")
        days[category.strip()] = int(value)
    return days


def _check_timezone(zone: str, where: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{where}: unknown time zone {zone!r}") from None


_current: Settings | None = None


def get() -> Settings:
    """The process's settings, loaded on first use."""
    global _current
    if _current is None:
        _current = load()
    return _current


def install(settings: Settings | None) -> None:
    """Make ``settings`` the process's settings (None: load again on next use)."""
    global _current
    _current = settings
