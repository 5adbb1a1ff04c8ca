"""The benchmark's machinery at tiny scale: every key page is found, requested and counted,
the operations are measured, the table gives a verdict per target. No timing is asserted, and
neither gunicorn nor wrk is started."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from mentorat.bench import operations, report
from mentorat.bench.measure import Measure
from mentorat.bench.pages import key_pages, login, measure_page
from tests.users.staff import make_coordinator
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_programme():
    call_command("seed_demo", scale="national", mentees=60, mentors=30, stdout=StringIO())


def test_every_key_page_answers_and_has_a_query_count(tiny_programme):
    users = User.objects.count()

    measures = [measure_page(page, runs=1, warmup=1) for page in key_pages()]

    for measure in measures:
        assert all(ok for _, ok in measure.checks), measure.label
        assert measure.queries is not None and len(measure.timings) == 1
    assert {"mentor registration (POST)", "coordinator dashboard"} <= {
        measure.label for measure in measures
    }
    # Each POST registered someone, then was rolled back: the data set keeps its counts.
    assert User.objects.count() == users


def test_the_operations_are_measured_with_their_query_counts(tiny_programme):
    measures = [
        operations.suggestions(random.Random(1), count=2),
        operations.reminder_sweep(runs=1),
        *operations.programme_figures(runs=1),
    ]

    assert all(measure.timings and measure.queries for measure in measures)


def test_the_batch_fails_when_the_data_set_is_too_small_for_it(tiny_programme):
    measure = operations.batch(random.Random(1))

    assert measure.passed() is False
    assert "enough people" in measure.target()


def test_a_staff_login_passes_the_admin_and_its_second_factor_if_any(client):
    login(client, make_coordinator())

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_table_gives_a_verdict_per_target_and_compares_query_counts():
    bare = Measure("bare", timings=[0.001, 0.001])
    fast = Measure("fast page", timings=[0.002, 0.003], queries=3, p95_target_ms=100)
    slow = Measure("slow page", timings=[0.2, 0.3], queries=5, p95_target_ms=100)
    sections = [
        ("pages", [bare, fast, slow]),
        ("queries", report.query_lines([fast, slow], {"fast page": 3, "slow page": 4})),
    ]

    table = report.table(sections, bare=bare, bare_load=None)

    assert table.splitlines()[0].split() == [
        "measure", "median", "ms", "p95", "ms", "queries", "×", "bare", "target", "result"
    ]  # fmt: skip
    fast_line = next(line for line in table.splitlines() if line.startswith("fast page"))
    assert "2.5" in fast_line and "PASS" in fast_line
    assert report.failures(sections) == ["slow page", "queries constant: slow page"]


def test_the_bench_refuses_a_database_not_named_for_benchmarks():
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench", stdout=StringIO())


def test_the_staff_admin_issue_holds_the_changelists_and_the_dashboard_to_its_own_target():
    changelist = Measure("admin: pairs", timings=[0.2, 0.3], p95_target_ms=100)
    dashboard = Measure("coordinator dashboard", timings=[0.6], p95_target_ms=500)
    space = Measure("mentor space", timings=[0.01], p95_target_ms=100)

    lines = report.admin_issue_lines([changelist, dashboard, space], target_ms=500)

    assert [(line.label, line.passed()) for line in lines] == [
        ("staff admin: pairs", True),
        ("staff admin: coordinator dashboard", False),
    ]
