"""The gunicorn settings production runs with (``gunicorn.conf.py``)."""

from __future__ import annotations

import runpy
from pathlib import Path

from gunicorn.config import Config

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def _config() -> Config:
    config = Config()
    for name, value in runpy.run_path(str(CONFIG)).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_spends_nothing_on_an_access_log_nobody_reads():
    """The app writes each request's line itself (api.logs). With a logging config set,
    gunicorn's own logger builds an access record per request for no handler at all;
    given nothing to build it from, it must not even try."""
    config = _config()
    log = config.logger_class(config)

    log.access(None, None, None, None)  # would read the response, request and environ

    assert config.accesslog is None
