"""Turns the rules of access_rules.py into requests: which rule covers a pattern, its URL
filled from the world, and the answer a response gives in the rules' vocabulary."""

import re
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from .access_patterns import Route
from .access_rules import (
    ADMIN,
    ADMIN_LETTERS,
    ADMIN_MODEL_SUFFIXES,
    ADMIN_MODELS,
    ADMIN_NAME,
    ANTENNE_ANSWERS,
    ANTENNE_OBJECTS,
    NATIONAL_OBJECTS,
    NATIONAL_ONLY,
    NATIONAL_ONLY_MODELS,
    NON_STAFF_ADMIN,
    PRESCRIBER_ANSWERS,
    PUBLIC,
    SITE,
    WITHOUT_CODE,
    WITHOUT_CODE_ANSWER,
    Rule,
)
from .access_world import WRITTEN_ROLES, World

# The bare object URL of a ModelAdmin (it redirects to the change page); unnamed in Django.
ADMIN_OBJECT_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/$")
ARGUMENT = re.compile(r"<(?:\w+:)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def admin_model_answers(model: str) -> dict[str, str]:
    """The model's suffixes with their three staff answers, e.g. {"change": "200 404 200"}."""
    _, letters = ADMIN_MODELS[model]
    return {
        suffix: " ".join(ADMIN_LETTERS[letter] for letter in answers)
        for suffix, answers in zip(ADMIN_MODEL_SUFFIXES, letters.split(), strict=False)
    }


def admin_model_rule(model: str, suffix: str) -> Rule | None:
    if model not in ADMIN_MODELS or suffix not in admin_model_answers(model):
        return None
    obj = ADMIN_MODELS[model][0]
    referent, other_referent, coordinator = admin_model_answers(model)[suffix].split()
    args = {
        "changelist": "",
        "add": "",
        "simple_history": f"@{obj} @{obj}.history",
    }.get(suffix, f"object_id=@{obj}")
    return Rule(args, f"{NON_STAFF_ADMIN} {referent} admin admin {other_referent} {coordinator}")


def rule_key(route: Route) -> str:
    """The name a rule is written under: the pattern's full name; for the bare object URL of a
    ModelAdmin (unnamed) `admin:<app>_<model>_object`; otherwise the route itself."""
    if route.name:
        return route.name
    if match := ADMIN_OBJECT_ROUTE.match(route.route):
        return f"admin:{match['app']}_{match['model']}_object"
    return route.route


def written_rule_for(key: str) -> Rule | None:
    """The rule as access_rules.py writes it: one answer per role of WRITTEN_ROLES."""
    if key in PUBLIC:
        public = PUBLIC[key]
        return Rule(public.args, " ".join([public.expect] * len(WRITTEN_ROLES)))
    for table in (SITE, ADMIN):
        if key in table:
            return table[key]
    if match := ADMIN_NAME.match(key):
        return admin_model_rule(match["model"], match["suffix"])
    return None


def without_code_answer(key: str) -> str:
    return WITHOUT_CODE.get(key, WITHOUT_CODE_ANSWER)


def prescriber_answers(key: str, written: Rule) -> str:
    """The prescriber's and the other prescriber's answers: their own pages as written, a
    member's with no pair (other_mentee) anywhere else."""
    if key in PRESCRIBER_ANSWERS:
        return PRESCRIBER_ANSWERS[key]
    other_mentee = written.expected()[WRITTEN_ROLES.index("other_mentee")]
    return f"{other_mentee} {other_mentee}"


# Answers of a page a coordinator reaches (or a POST-only one, whose object is looked up
# first) but a coordinator whose antenne does not hold its object does not find.
REACHED = {"200", "302", "405"}


def _objects_of(rule: Rule) -> set[str]:
    tokens = rule.args.replace("=", " ").split()
    return {token[1:].partition(".")[0] for token in tokens if token.startswith("@")}


def antenne_answers(key: str, written: Rule) -> str:
    """The antenne coordinators' answers: the coordinator's, except the national pages and
    the objects out of their antenne (access_rules.ANTENNE_ANSWERS)."""
    if key in ANTENNE_ANSWERS:
        return ANTENNE_ANSWERS[key]
    coordinator = written.expected()[WRITTEN_ROLES.index("coordinator")]
    referent = written.expected()[WRITTEN_ROLES.index("other_referent")]
    match = ADMIN_NAME.match(key)
    if key in NATIONAL_ONLY or (match and match["model"] in NATIONAL_ONLY_MODELS):
        return f"{referent} {referent}"
    if coordinator not in REACHED or (match and match["suffix"] == "object"):
        return f"{coordinator} {coordinator}"
    objects = _objects_of(written)
    if objects & NATIONAL_OBJECTS:
        return "404 404"
    if objects & ANTENNE_OBJECTS:
        return f"{coordinator} 404"
    return f"{coordinator} {coordinator}"


def rule_for(route: Route) -> Rule | None:
    """The rule for every role of access_world.ROLES: the written answers, then the one of
    the staff member without their code, then the prescribers' (the one without the code as
    the staff member), then the antenne coordinators'."""
    key = rule_key(route)
    rule = written_rule_for(key)
    if rule is None:
        return None
    without_code = without_code_answer(key)
    return Rule(
        rule.args,
        f"{rule.expect} {without_code} {prescriber_answers(key, rule)} {without_code} "
        f"{antenne_answers(key, rule)}",
    )


def rule_keys() -> set[str]:
    """Every key a rule is written for, to find stale ones."""
    keys = {*PUBLIC, *SITE, *ADMIN, *PRESCRIBER_ANSWERS, *ANTENNE_ANSWERS, *NATIONAL_ONLY}
    for model in ADMIN_MODELS:
        keys |= {f"admin:{model}_{suffix}" for suffix in admin_model_answers(model)}
    return keys


def _value(world: World, token: str):
    if not token.startswith("@"):
        return token
    key, _, attribute = token[1:].partition(".")
    if key == "contenttype":
        return ContentType.objects.get_for_model(world.objects["pair"]).pk
    obj = world.objects[key]
    if attribute == "history":
        return obj.history.order_by("history_id").first().history_id
    return obj.pk


def url_for(route: Route, rule: Rule, world: World) -> str:
    positional, named = [], {}
    for part in rule.args.split():
        name, sep, token = part.rpartition("=")
        if sep:
            named[name] = _value(world, token)
        else:
            positional.append(_value(world, token))
    if route.name:
        return reverse(route.name, args=positional or None, kwargs=named or None)

    def fill(match):
        return str(named[match["name"] or match["group"]])

    return "/" + ARGUMENT.sub(fill, route.route).lstrip("^").rstrip("$")


def answer(response) -> str:
    """A response in the rules' words: `login`, `admin`, `code`, `302` or its status code."""
    if response.status_code == 302:
        target = urlsplit(response.url)
        if target.path == reverse("login") and "next=" in target.query:
            return "login"
        if target.path == reverse("admin:login") and "next=" in target.query:
            return "admin"
        if target.path == reverse("two_factor_verify") and "next=" in target.query:
            return "code"
    return str(response.status_code)
