"""In CI nothing may pass by not running: a skip (a missing service or browser) or an
expected failure is reported as a failure (tests/conftest.py)."""

from types import SimpleNamespace

import pytest

from tests import conftest


def report_after_the_hook(report, *, in_ci: bool, monkeypatch):
    monkeypatch.setattr(conftest, "IN_CI", in_ci)
    hook = conftest.pytest_runtest_makereport(item=None, call=None)
    next(hook)
    with pytest.raises(StopIteration):
        hook.send(SimpleNamespace(get_result=lambda: report))
    return report


@pytest.mark.parametrize(
    "report",
    [
        SimpleNamespace(outcome="skipped", skipped=True, longrepr="REDIS_URL is not set"),
        SimpleNamespace(outcome="skipped", skipped=True, longrepr="", wasxfail="not yet"),
    ],
    ids=["skip", "xfail"],
)
def test_in_ci_a_test_that_did_not_run_fails(report, monkeypatch):
    reported = report_after_the_hook(report, in_ci=True, monkeypatch=monkeypatch)

    assert reported.outcome == "failed"
    assert "in CI, which must run everything" in reported.longrepr


def test_outside_ci_a_skip_for_a_missing_service_stays_a_skip(monkeypatch):
    report = SimpleNamespace(outcome="skipped", skipped=True, longrepr="no Chromium")

    assert report_after_the_hook(report, in_ci=False, monkeypatch=monkeypatch).outcome == "skipped"


def test_a_passing_test_is_left_alone_in_ci(monkeypatch):
    report = SimpleNamespace(outcome="passed", skipped=False, longrepr=None)

    assert report_after_the_hook(report, in_ci=True, monkeypatch=monkeypatch).outcome == "passed"
