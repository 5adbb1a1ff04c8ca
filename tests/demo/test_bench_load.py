"""The benchmark's load machinery, without timing anything and without gunicorn or wrk: the
catalogue holds every page of the site (or says why not), each answers the person it is for
with the benchmark's own session cookies, the load lines are held to their share of the bare
view, and the two processes' checks read what they should."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mentorat.demo.bench import catalogue, cluster, cookies, load, wsgi
from mentorat.demo.bench.catalogue import Entry, Spec
from mentorat.demo.bench.measure import Measure
from mentorat.demo.seed import PRESCRIBER_EMAIL
from tests.users.staff import make_coordinator, make_referent
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_programme():
    call_command("seed_demo", scale="national", mentees=60, mentors=30, stdout=StringIO())


def url_names() -> set[str]:
    """Every named URL of the project, with its namespace."""

    def walk(patterns, namespace: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns, ""))


def admin_model_suffix(name: str) -> str | None:
    """The suffix of a ModelAdmin's own URL name (`admin:app_model_suffix`), else None."""
    for model in catalogue.admin_models():
        prefix = f"admin:{model.replace('.', '_')}_"
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return None


def test_every_url_of_the_project_is_measured_or_said_why_not():
    measured = {spec.name for spec in catalogue.all_specs()}

    unaccounted = sorted(
        name
        for name in url_names()
        if name not in measured
        and name not in catalogue.NOT_MEASURED
        and admin_model_suffix(name) not in catalogue.ADMIN_SUFFIXES_NOT_MEASURED
    )

    assert unaccounted == []


def test_the_reasons_not_to_measure_name_urls_that_exist():
    names = url_names()

    assert set(catalogue.NOT_MEASURED) <= names
    assert {spec.name for spec in catalogue.all_specs()} <= names


def test_every_admin_changelist_is_measured_as_the_national_coordinator():
    changelists = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    }

    measured = {spec.name for spec in catalogue.all_specs() if spec.who == "coordinator"}

    assert changelists <= measured


def test_every_member_page_is_measured_logged_in():
    member_names = {
        name
        for name in url_names()
        if name.split(":")[0] in {"spaces", "matching", "sessions", "evaluations", "reminders"}
        and name not in catalogue.NOT_MEASURED
    }

    logged_in = {spec.name for spec in catalogue.all_specs() if spec.kind != "public"}

    assert member_names <= logged_in
    assert all(spec.kind == "member" for spec in catalogue.SPECS if spec.name.startswith("spaces:"))


def test_the_staff_pages_of_the_national_coordinator_are_measured_as_an_antenne_one_too():
    antenne = {spec.name for spec in catalogue.all_specs() if spec.who == "antenne coordinator"}

    for name in (
        "admin:dashboard",
        "admin:staff_home",
        "admin:bilan",
        "admin:bilan_export",
        "admin:mentees_mentee_matching",
        "admin:mentors_mentor_matching",
        "admin:matching_mentorship_changelist",
        "admin:mentees_mentee_changelist",
    ):
        assert name in antenne


def test_every_page_of_the_catalogue_answers_the_person_it_is_for(tiny_programme, client):
    entries, _ = catalogue.entries(catalogue.cast())
    answers = {}

    for entry in entries:
        client.cookies.clear()
        if entry.user is not None:
            cookies.log_in(client, entry.user)
        answers[entry.label] = (client.get(entry.url).status_code, entry.spec.status)

    assert {label: got for label, (got, wanted) in answers.items() if got != wanted} == {}
    assert len(entries) > 100


def test_the_cast_finds_an_antenne_coordinator_and_people_of_their_antenne(tiny_programme):
    from users.scopes import staff_scope

    cast = catalogue.cast()

    scope = staff_scope(cast.users["antenne coordinator"])
    assert scope.antenne_scoped
    assert cast.users["coordinator"] is not None and staff_scope(cast.users["coordinator"]).national


def test_a_page_without_its_object_in_the_data_set_is_listed_as_not_measured():
    cast = catalogue.Cast(users={"coordinator": User(pk=1)}, objects={"batch": None})
    spec = Spec("admin:matching_matchingbatch_result", "coordinator", ("batch",))

    entries, missing = catalogue.entries(cast, [spec, Spec("home", catalogue.VISITOR)])

    assert [entry.url for entry in entries] == [reverse("home")]
    assert missing == [spec]


# --- Session cookies


@pytest.mark.parametrize("make", [make_coordinator, make_referent])
def test_a_session_cookie_opens_the_staff_pages_past_the_second_factor(client, make):
    user = make()
    key = cookies.session_key(user)

    client.cookies[settings.SESSION_COOKIE_NAME] = key

    assert client.get(reverse("admin:referent_home")).status_code == 200
    assert cookies.cookie_header(key) == f"{settings.SESSION_COOKIE_NAME}={key}"


def test_without_the_cookie_the_staff_page_asks_to_log_in(client):
    assert client.get(reverse("admin:referent_home")).status_code == 302


def test_a_prescriber_s_cookie_opens_their_space_past_their_second_factor(tiny_programme, client):
    cookies.log_in(client, User.objects.get(email=PRESCRIBER_EMAIL))

    assert client.get(reverse("prescribers:home")).status_code == 200


def test_the_bench_forgets_its_sessions(client):
    keys = [cookies.session_key(make_coordinator()) for _ in range(2)]

    cookies.forget(*keys)

    assert not Session.objects.filter(session_key__in=keys).exists()


# --- Load lines


def fake_server(monkeypatch, *, status: int = 200, rates: dict[str, float]):
    """`request` answers `status`; `drive` gives each URL's rate (by its path), no error."""
    monkeypatch.setattr(load, "request", lambda base, path, **kw: (status, {}, ""))
    monkeypatch.setattr(
        load,
        "drive",
        lambda url, *, cookie, seconds, **kw: (rates[url.removeprefix("http://x")], 0, "fake"),
    )


def entry(name: str, who: str, url: str) -> Entry:
    return Entry(Spec(name, who), url, None)


def test_every_page_is_held_to_its_kinds_share_of_the_bare_view(monkeypatch):
    fake_server(
        monkeypatch,
        rates={"/sante/": 1000.0, "/": 300.0, "/espace/": 100.0, "/admin/d/": 4.0, "/admin/": 30},
    )
    entries = [
        entry("health", catalogue.VISITOR, "/sante/"),
        entry("home", catalogue.VISITOR, "/"),
        entry("spaces:home", "mentor", "/espace/"),
        entry("admin:dashboard", "coordinator", "/admin/d/"),
        entry("admin:index", "coordinator", "/admin/"),
    ]

    bare, lines = load.every_page(entries, base="http://x", cookie_for=lambda e: None, seconds=1)

    assert bare.rate == 1000.0
    assert [(line.label, line.passed()) for line in lines] == [
        ("load: home", True),  # 0.3 ≥ 0.2
        ("load: spaces:home (mentor)", False),  # 0.1 < 0.2
        ("load: admin:dashboard (coordinator)", False),  # 0.004 < 0.005
        ("load: admin:index (coordinator)", True),  # 0.03 ≥ 0.02
    ]


def test_a_page_that_answers_otherwise_is_not_loaded_and_fails(monkeypatch):
    fake_server(monkeypatch, status=302, rates={})

    line = load.load_line("mentor space", "http://x", "/espace/", cookie="c", seconds=1)

    assert line.passed() is False
    assert line.rate is None and line.value == "answered 302"


def test_the_kinds_of_pages_have_their_ratios():
    assert load.ratio_for(Spec("mentees:register", catalogue.VISITOR)) == 0.2
    assert load.ratio_for(Spec("spaces:home", "mentor")) == 0.2
    assert load.ratio_for(Spec("admin:index", "coordinator")) == 0.02
    assert load.ratio_for(Spec("admin:bilan", "antenne coordinator")) == 0.001


def test_the_bench_refuses_a_non_positive_load_duration():
    with pytest.raises(CommandError, match="load-seconds"):
        call_command("bench", load_seconds=0, stdout=StringIO())


# --- Two processes


def call(application, path: str, query: str = ""):
    answer = {"status": None}

    def start_response(status, headers):
        answer["status"] = status

    body = b"".join(
        application(
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "wsgi.url_scheme": "http",
                "wsgi.input": StringIO(),
            },
            start_response,
        )
    )
    return answer["status"], body


def test_the_bench_application_writes_and_reads_the_cache_with_its_token(monkeypatch):
    monkeypatch.setenv("BENCH_TOKEN", "secret")

    call(wsgi.application, wsgi.PATH, "token=secret&key=k&value=v")
    status, body = call(wsgi.application, wsgi.PATH, "token=secret&key=k")

    assert status == "200 OK"
    answer = json.loads(body)
    assert answer["value"] == "v" and answer["backend"].endswith("LocMemCache")


def test_without_its_token_the_bench_path_is_the_site_s(monkeypatch):
    monkeypatch.setenv("BENCH_TOKEN", "secret")
    site = []
    monkeypatch.setattr(wsgi, "site", lambda environ, start: site.append(environ) or [b""])

    call(wsgi.application, wsgi.PATH, "token=other&key=k")
    call(wsgi.application, "/sante/")

    assert [environ["PATH_INFO"] for environ in site] == [wsgi.PATH, "/sante/"]


def test_pages_that_differ_only_by_their_csrf_token_are_the_same():
    first = '<input type="hidden" name="csrfmiddlewaretoken" value="abc">'
    second = '<input type="hidden" name="csrfmiddlewaretoken" value="xyz">'

    assert cluster._normalised(first) == cluster._normalised(second)
    assert cluster._normalised(first + "1") != cluster._normalised(second + "2")


def test_a_browser_keeps_its_session_and_its_own_csrf_cookie():
    browser = cluster.Client()
    csrf = browser.csrf

    browser._keep({"set-cookie": f"csrftoken=other; Path=/\n{settings.SESSION_COOKIE_NAME}=k1; "})

    assert browser.cookies == {"csrftoken": csrf, settings.SESSION_COOKIE_NAME: "k1"}


def test_sending_until_refused_stops_at_the_first_refusal():
    answers = iter([200, 200, 429, 200])

    assert cluster._until_refused(lambda: next(answers), 10) == (3, 429)
    assert cluster._until_refused(lambda: 200, 4) == (4, 200)


def test_two_processes_without_redis_fail_their_check():
    from mentorat.demo.management.commands.bench import _redis_line, _unreachable

    error = _unreachable("redis://127.0.0.1:1/0")

    assert error
    assert _redis_line("redis://127.0.0.1:1/0", error).passed() is False
    assert isinstance(_redis_line("x", "y"), Measure)


# --- The data set kept


def test_the_rows_added_during_the_load_are_deleted_and_the_others_kept():
    from mentorat.demo.bench import dataset
    from tests.users.factories import UserFactory
    from users.antennes import Antenne

    before = UserFactory()
    with dataset.kept():
        during = UserFactory()
        antenne = Antenne.objects.create(name="Banc", contact_email="banc@example.org")

    assert User.objects.filter(pk=before.pk).exists()
    assert not User.objects.filter(pk=during.pk).exists()
    assert not Antenne.objects.filter(pk=antenne.pk).exists()
