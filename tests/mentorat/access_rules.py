"""The access matrix: for every URL pattern of the project, who gets what.

One line per pattern. `args` fills the pattern's arguments: `name=@key` is the pk of the
world's object `key` (access_world.py), `name=value` a literal. `expect` lists one answer per
role, in the order of access_world.WRITTEN_ROLES:

    anonymous  mentor  mentee  referent  other_mentor  other_mentee  other_referent  coordinator

where `login` is a redirect to the site's login page (with `?next=`), `admin` a redirect to
the admin's login page, `code` a redirect to the second factor's code page (with `?next=`),
`302` any other redirect and a number the status code. Every check is a GET;
test_access_matrix.py also POSTs to the POST-only endpoints. The admin's ModelAdmin URLs are
generated per model (ADMIN_MODELS): their five non-staff roles always get `admin`, only the
three staff columns are written. The last role, staff_without_code, is generated for every
pattern from WITHOUT_CODE (at the end of this file)."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    args: str
    expect: str

    def expected(self) -> tuple[str, ...]:
        return tuple(self.expect.split())


# Non-staff people never reach the admin: Django's admin_view sends them to its login page.
NON_STAFF_ADMIN = "admin admin admin"


def staff_only(args: str, staff: str) -> Rule:
    """An admin URL: `staff` is the answer to referent, other_referent and coordinator."""
    referent, other_referent, coordinator = staff.split()
    return Rule(
        args,
        f"admin admin admin {referent} admin admin {other_referent} {coordinator}",
    )


# Pages anybody may open, logged in or not: the same answer for every role.
PUBLIC = {
    # The project's presentation and privacy notice.
    "home": Rule("", "200"),
    "privacy": Rule("", "200"),
    # The load balancer's probe.
    "health": Rule("", "200"),
    # Every browser asks for it: a redirect to the icon among the static files.
    "favicon": Rule("", "302"),
    # The two registration forms and their thank-you pages are how people join.
    "mentors:register": Rule("", "200"),
    "mentors:registration_done": Rule("", "200"),
    "mentees:register": Rule("", "200"),
    "mentees:registration_done": Rule("", "200"),
    # Signed links sent by e-mail: the token is the credential. A bogus one gets a page
    # saying the link is invalid, which tells nothing about anybody.
    "mentees:guardian_consent": Rule("token=bogus-token", "400"),
    "matching:respond_by_link": Rule("token=bogus-token", "400"),
    "matching:guardian_objection": Rule("token=bogus-token", "400"),
    "password_reset_confirm": Rule("uidb64=MQ token=bogus-token", "200"),
    "prescribers:register": Rule("token=bogus-token", "400"),
    # Django's authentication pages (logging out is a POST: a GET is refused).
    "login": Rule("", "200"),
    "logout": Rule("", "405"),
    "password_reset": Rule("", "200"),
    "password_reset_done": Rule("", "200"),
    "password_reset_complete": Rule("", "200"),
}

# role order: anon  mentor mentee referent o_mentor o_mentee o_referent coordinator
SITE = {
    # After login, each role is sent on to its work (members to « Mon espace »).
    "landing": Rule("", "login 302 302 302 302 302 302 302"),
    "spaces:home": Rule("", "login 200 200 200 200 200 200 200"),
    "spaces:pair": Rule("pk=@pair", "login 200 200 200 404 404 404 200"),
    "matching:my_proposals": Rule("", "login 200 200 200 200 200 200 200"),
    # A POST only (see test_access_matrix.py for the POSTs of other people).
    "matching:respond": Rule("pk=@proposal", "login 405 405 405 405 405 405 405"),
    # Objectives are written by the two members only; staff read them on the pair's page.
    "matching:objective_add": Rule("pk=@pair", "login 200 200 404 404 404 404 404"),
    "matching:objective_edit": Rule("pk=@objective", "login 200 200 404 404 404 404 404"),
    # 403 for somebody who sees the pair but may not do this: the page says why.
    "sessions:list": Rule("pair_pk=@pair", "login 200 200 200 404 404 404 200"),
    "sessions:log": Rule("pair_pk=@pair", "login 200 403 403 404 404 404 403"),
    "sessions:plan_meeting": Rule("pair_pk=@pair", "login 200 200 403 404 404 404 403"),
    "sessions:meeting_ics": Rule("pair_pk=@pair", "login 200 200 200 404 404 404 200"),
    "sessions:detail": Rule("pk=@session", "login 200 200 200 404 404 404 200"),
    "sessions:update": Rule("pk=@session", "login 200 403 403 404 404 404 403"),
    "sessions:evaluate": Rule("pk=@session", "login 200 200 403 404 404 404 403"),
    "sessions:follow_up": Rule("pk=@session", "login 403 403 200 404 404 404 200"),
    "evaluations:progress": Rule("pair_pk=@pair", "login 200 200 200 404 404 404 200"),
    # Only the young person fills their questionnaire: anybody else finds nothing.
    "evaluations:fill": Rule("pair_pk=@pair moment=debut", "login 404 200 404 404 404 404 404"),
    "evaluations:response": Rule("pk=@response", "login 200 200 200 404 404 404 200"),
    # Each member fills their own closure questionnaire (before the pair closes, the page
    # says it opens then); staff read the submitted ones elsewhere, nobody else finds it.
    "evaluations:closure": Rule("pair_pk=@pair", "login 200 200 404 404 404 404 404"),
    # The user's own data: nobody's id in the URL.
    "reminders:preferences": Rule("", "login 200 200 200 200 200 200 200"),
    "reminders:received": Rule("", "login 200 200 200 200 200 200 200"),
    # The second factor is the staff's (members are not found there): with no code awaited
    # the check page sends the user on; a staff member may enrol an authenticator app.
    "two_factor_verify": Rule("", "login 404 404 302 404 404 302 302"),
    "two_factor_setup": Rule("", "login 404 404 200 404 404 200 200"),
    # What the platform holds about the user (RGPD right of access): their own only.
    "spaces:my_data": Rule("", "login 200 200 200 200 200 200 200"),
    "spaces:my_data_json": Rule("", "login 200 200 200 200 200 200 200"),
    "password_change": Rule("", "login 200 200 200 200 200 200 200"),
    # A mentor's trainings and volunteer's attestation: their own, without an id in the URL;
    # anybody who is not a mentor finds nothing. Signing up and cancelling are POSTs.
    "spaces:trainings": Rule("", "login 200 404 404 200 404 404 404"),
    "spaces:attestation": Rule("", "login 200 404 404 200 404 404 404"),
    "spaces:training_sign_up": Rule("pk=@training_session", "login 405 405 405 405 405 405 405"),
    "spaces:training_cancel": Rule("pk=@training_session", "login 405 405 405 405 405 405 405"),
    "password_change_done": Rule("", "login 200 200 200 200 200 200 200"),
    # The prescribers' space: nobody else's (staff read referrals in the admin).
    "prescribers:home": Rule("", "login 404 404 404 404 404 404 404"),
    "prescribers:refer": Rule("", "login 404 404 404 404 404 404 404"),
    "prescribers:referral": Rule("pk=@referral", "login 404 404 404 404 404 404 404"),
}

# The admin's own pages and the staff pages mounted in it (mentorat/admin_site.py).
#                                          referent o_referent coordinator
ADMIN = {
    # Staff who are already logged in are sent on to the admin's index.
    "admin:login": Rule("", "200 200 200 302 200 200 302 302"),
    # Logging out is a POST; admin_view sends a non-staff user's GET to the index (which then
    # asks them to log in).
    "admin:logout": Rule("", "302 302 302 405 302 302 405 405"),
    "admin:index": staff_only("", "200 200 200"),
    "admin:password_change": staff_only("", "200 200 200"),
    "admin:password_change_done": staff_only("", "200 200 200"),
    "admin:autocomplete": staff_only("", "403 403 403"),
    "admin:jsi18n": staff_only("", "200 200 200"),
    # No model of the project has a page on the site (no get_absolute_url).
    "admin:view_on_site": staff_only("content_type_id=@contenttype object_id=@pair", "404 404 404"),
    "admin:app_list": staff_only("app_label=matching", "200 200 200"),
    "admin/(?P<url>.*)$": staff_only("url=nulle-part/", "404 404 404"),
    # The référent's home lists what is theirs; its two forms are POSTs.
    "admin:referent_home": staff_only("", "200 200 200"),
    # The coordinator's « what to do now »: programme-wide counts, coordinators only.
    "admin:staff_home": staff_only("", "403 403 200"),
    # The technical models' section: a référent has none of them (404, as for any app).
    "admin:technical_index": staff_only("", "404 404 200"),
    "admin:referent_follow_up": staff_only("pk=@session", "405 405 405"),
    "admin:referent_exchange": staff_only("", "405 405 405"),
    # A closed pair's closure interview: its mentor's référent and coordinators.
    "admin:closure_interview": staff_only("pk=@closed_pair", "200 404 200"),
    # Figures of the whole programme: coordinators only.
    "admin:dashboard": staff_only("", "403 403 200"),
    # The funders' report, page and XLSX: the whole programme's figures, coordinators only.
    "admin:bilan": staff_only("", "403 403 200"),
    "admin:bilan_export": staff_only("", "403 403 200"),
    # The pairs' export is scoped: a référent's holds only their mentors' pairs.
    "admin:dashboard_export": staff_only("what=binomes fmt=csv", "200 200 200"),
    # RGPD requests about one person: coordinators only.
    "admin:privacy_person": staff_only("user_id=@user", "403 403 200"),
    "admin:privacy_person_export": staff_only("user_id=@user", "403 403 200"),
    "admin:privacy_person_anonymise": staff_only("user_id=@user", "403 403 200"),
    # The matching pages of the coordinators.
    "admin:matching_mentorship_activate": staff_only("mentorship_id=@proposal", "403 403 200"),
    "admin:matching_mentorship_close": staff_only("mentorship_id=@pair", "403 403 200"),
    "admin:matching_matchingbatch_start": staff_only("", "403 403 200"),
    "admin:matching_matchingbatch_result": staff_only("batch_id=@batch", "403 403 200"),
    "admin:matching_matchingbatch_confirm": staff_only("batch_id=@batch", "403 403 302"),
    "admin:mentees_mentee_propose": staff_only("mentee_id=@mentee", "403 403 405"),
    "admin:mentors_mentor_propose": staff_only("mentor_id=@mentor", "403 403 405"),
    # One person's matching page: their profile, the ten suggestions, the propose buttons.
    "admin:mentees_mentee_matching": staff_only("mentee_id=@mentee", "403 403 200"),
    "admin:mentors_mentor_matching": staff_only("mentor_id=@mentor", "403 403 200"),
    # Screening from the person's page: approving is a POST (or, for a mentor who accepts
    # minors without a valid check, a page asking for it; the world's mentor is approved
    # already and is sent back to their page); rejecting asks the reason.
    "admin:mentees_mentee_approve": staff_only("object_id=@mentee", "403 403 405"),
    # Confirming, adding or removing a young person's priority public is a POST from their
    # page, for staff who may change young people (coordinators).
    "admin:mentees_mentee_publics": staff_only("object_id=@mentee", "403 403 405"),
    "admin:mentees_mentee_reject": staff_only("object_id=@mentee", "403 403 200"),
    "admin:mentors_mentor_approve": staff_only("object_id=@mentor", "403 403 302"),
    "admin:mentors_mentor_reject": staff_only("object_id=@mentor", "403 403 200"),
    "admin:auth_user_password_change": staff_only("id=@user", "403 403 200"),
    # Moving a person to another antenne, from their page: a page asking the antenne and the
    # reason, for staff who may change people (coordinators).
    "admin:mentees_mentee_antenne": staff_only("object_id=@mentee", "403 403 200"),
    "admin:mentors_mentor_antenne": staff_only("object_id=@mentor", "403 403 200"),
}

# Each ModelAdmin: the world's object its URLs show, then its URLs' answers to the three
# staff roles as three letters, referent, other_referent and coordinator (the five non-staff
# roles always get `admin`): O 200, R a redirect (302), F 403, N 404. The URLs, in order:
# changelist, add, change, history, delete, the bare object URL (which redirects to the change
# page) and, for a model with django-simple-history, one historical version of the object.
ADMIN_MODEL_SUFFIXES = (
    "changelist",
    "add",
    "change",
    "history",
    "delete",
    "object",
    "simple_history",
)
ADMIN_LETTERS = {"O": "200", "R": "302", "F": "403", "N": "404"}
ADMIN_MODELS = {
    # model: (object, "list add change history delete object simple_history")
    # Groups and permissions stay a superuser's power.
    "auth_group": ("group", "FFF FFF FFF FFF FFF RRR"),
    # Login protection and second factors: coordinators unlock an account (delete its
    # attempts) and remove a lost authenticator app; the logs stay a superuser's.
    "axes_accessattempt": ("access_attempt", "FFO FFF FFO FFO FFO RRR"),
    "axes_accesslog": ("access_log", "FFF FFF FFF FFF FFF RRR"),
    "axes_accessfailurelog": ("access_failure_log", "FFF FFF FFF FFF FFF RRR"),
    # django-otp's devices, in the admin of their French-named proxy (users/models.py).
    "users_authenticatordevice": ("device", "FFO FFF FFO FFO FFO RRR"),
    # Coordinators create staff accounts; consents are recorded, never added by hand.
    "users_user": ("user", "FFO FFO FFO FFO FFO RRR"),
    "users_consent": ("consent", "FFO FFF FFO FFO FFF RRR"),
    # The outbox: coordinators read it and resend the failed e-mails (an action, no form).
    "users_owedemail": ("owed_email", "FFO FFF FFO FFO FFF RRR"),
    # The antennes are the national coordinators' to manage (their départements, contacts,
    # target and team); the moves of people between antennes are read there, written from
    # the person's page only.
    "users_antenne": ("antenne", "FFO FFO FFO FFO FFO RRR"),
    "users_antennemove": ("antenne_move", "FFO FFF FFO FFO FFF RRR"),
    # The log of anonymised accounts: read-only, for coordinators.
    "privacy_erasurerecord": ("erasure", "FFO FFF FFO FFO FFF RRR"),
    # The trail of right-of-access exports: read-only, for coordinators.
    "privacy_dataaccessrecord": ("data_access", "FFO FFF FFO FFO FFF RRR"),
    # The matching tools are the coordinators'; the weights are a single row.
    "matching_matchingweights": ("weights", "RRR FFF FFO FFO FFF RRR FFO"),
    "matching_mentorship": ("pair", "OOO FFF ONO ONO FFF RRR ONO"),
    "matching_matchingbatch": ("batch", "FFO FFF FFR FFO FFF RRR"),
    # A référent reads their own mentors' pairs and all that is in them, and nothing else
    # (a 404, not a redirect that would tell the object exists), history pages included:
    # django-simple-history reads an object missing from get_queryset in its historical
    # records, so the scope must be checked there too.
    "mentees_mentee": ("mentee", "OOO FFF ONO ONO FFO RRR ONO"),
    "mentors_mentor": ("mentor", "OOO FFF ONO ONO FFO RRR ONO"),
    "mentoring_sessions_session": ("session", "OOO FFF ONO ONO FFO RRR ONO"),
    "mentoring_sessions_plannedmeeting": ("meeting", "OOO FFF ONO ONO FFF RRR"),
    # The priority publics are the coordinators' list; référents, who read young people's
    # pages, read it. A public some young person has is never deleted (the world's is unused).
    "mentees_prioritypublic": ("public", "OOO FFO OOO OOO FFO RRR"),
    # The questionnaire is the programme's, the same for everybody.
    "evaluations_questionnaire": ("questionnaire", "OOO FFO OOO OOO FFF RRR"),
    "evaluations_response": ("response", "OOO FFF ONO ONO FFF RRR ONO"),
    # Read-only: written from the pair's « entretien de fin » page.
    "evaluations_closureinterview": ("closure_interview", "OOO FFF ONO ONO FFF RRR ONO"),
    # Reminders are the coordinators' to watch.
    "reminders_reminder": ("reminder", "FFO FFF FFO FFO FFF RRR"),
    "reminders_reminderpreference": ("preference", "FFO FFO FFO FFO FFO RRR"),
    # A référent logs their exchanges with their own mentors.
    "mentors_exchange": ("exchange", "OOO OOO ONO ONO FFO RRR ONO"),
    # The trainings are the coordinators' to plan; référents read them, and record the
    # attendance of their own mentors only (the world's seat is the pair's mentor's).
    "mentors_trainingsession": ("training_session", "OOO FFO OOO OOO FFO RRR"),
    "mentors_trainingregistration": ("training_seat", "OOO FFO ONO ONO FFO RRR"),
    # Prescribers are the coordinators' to manage (an account is deactivated, never deleted);
    # referrals and their consultations are read there, written by the prescribers only.
    "prescribers_organisation": ("organisation", "FFO FFO FFO FFO FFO RRR"),
    "prescribers_prescriber": ("prescriber", "FFO FFO FFO FFO FFF RRR"),
    "prescribers_referral": ("referral", "FFO FFF FFO FFO FFF RRR"),
    "prescribers_referralconsultation": ("consultation", "FFO FFF FFO FFO FFF RRR"),
}

# `admin:<app>_<model>_<suffix>`: the shortest model wins, so `simple_history` is a suffix.
ADMIN_NAME = re.compile(
    r"^admin:(?P<model>[a-z_]+?)_(?P<suffix>" + "|".join(ADMIN_MODEL_SUFFIXES) + r")$"
)


# A coordinator who typed the password but not yet the code (staff_without_code) reaches no
# page at all (users/middleware.py): every URL answers `code`, except these.
WITHOUT_CODE_ANSWER = "code"
WITHOUT_CODE = {
    # The load balancer's probe knows nobody.
    "health": "200",
    # The browser's icon, asked for by the code page itself.
    "favicon": "302",
    # Where the code is typed.
    "two_factor_verify": "200",
    # Let through, but the page itself asks for the code: adding an app to an account that
    # has one takes that app's code first.
    "two_factor_setup": "code",
    # The ways out are let through; a GET of them is refused as for everybody.
    "logout": "405",
    # The admin's own permission check (admin_site.has_permission, which wants the code)
    # sends them to the admin's index, which then asks for the code.
    "admin:logout": "302",
}


# The prescribers (generated columns, after staff_without_code): « prescriber » referred the
# world's young person, « other_prescriber » works for another organisation, and
# « prescriber_without_code » typed the password but not yet the code, who, as the staff
# member in that case, reaches nothing (WITHOUT_CODE). Anywhere but their own pages a
# prescriber is a member with no pair: the answer of « other_mentee », except these.
PRESCRIBER_ANSWERS = {
    # prescriber, other_prescriber
    "prescribers:home": "200 200",
    "prescribers:refer": "200 200",
    # Only the young people they referred themselves.
    "prescribers:referral": "200 404",
    # Their second factor: given already, the code page sends them on; they may enrol an app.
    "two_factor_verify": "302 302",
    "two_factor_setup": "200 200",
}
