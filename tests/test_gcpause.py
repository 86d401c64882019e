"""The cycle collector is paused while a dossier is read, and always runs again after."""

import gc
import threading
from pathlib import Path

import pytest

from dossier.errors import DossierInvalidError
from dossier.gcpause import collector_paused
from dossier.loader import load_dossier

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "jiangsu-zero-carbon-factory"


def test_pause_is_nested_and_restores_the_collector():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loading_leaves_the_collector_running_also_after_an_error(tmp_path):
    load_dossier(EXAMPLE)
    assert gc.isenabled()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "dossier.yaml").write_text("scheme: jiangsu-zero-carbon-factory\nsubject: [\n", encoding="utf-8")
    with pytest.raises(DossierInvalidError):
        load_dossier(bad)
    assert gc.isenabled()


def test_threads_loading_at_once_leave_the_collector_running():
    errors = []

    def work():
        try:
            for _ in range(3):
                load_dossier(EXAMPLE)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert gc.isenabled()
