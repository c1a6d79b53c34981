"""The blinded N-of-1 trial: sealed until unblinding, the pharmacist's sheet, the analysis."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
from django.test import Client

from tests.conftest import make_clinician, make_patient

LDN_WORDS = ("LDN 4.5 mg capsules", "lacebo capsules", "Placebo<", "Contained")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def design(start=dt.date(2026, 1, 5), pairs=5, period_days=14, washout_days=4):
    from ldn.analysis import TrialDesign

    return TrialDesign(start=start, pairs=pairs, period_days=period_days, washout_days=washout_days)


def seed_with_orders(wanted: tuple[str, ...], d) -> int:
    """A seed whose schedule has the wanted orders (found by trying seeds in turn)."""
    import numpy as np

    from ldn.analysis import generate_schedule

    for seed in range(10_000):
        if generate_schedule(d, np.random.default_rng(seed)).orders == wanted:
            return seed
    raise AssertionError("no seed found")


def test_the_form_randomises_seals_and_never_shows_the_patient_a_link(db):
    from ldn.web.insights.models import SealedAllocation, Trial
    from ldn.web.journal.models import Symptom

    pat = make_patient("pat")
    pain = Symptom.objects.create(patient=pat, key="pain", name="Pain")
    client = login(pat)
    start = dt.date.today() + dt.timedelta(days=10)
    response = client.post(
        "/insights/trial/new/",
        {"start": start.isoformat(), "pairs": 5, "period_days": 14, "washout_days": 4,
         "ldn_dose_mg": "4.5", "primary_symptom": pain.pk},
    )  # fmt: skip
    trial = Trial.objects.get(patient=pat)
    assert response.status_code == 302 and response["Location"] == f"/insights/trial/{trial.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "/insights/trial/sheet/" not in page and "Not sent yet" in page
    assert SealedAllocation.objects.get(trial=trial).token_hash is None  # no link exists yet
    assert trial.seal in page and trial.end == start + dt.timedelta(days=139)


def test_the_link_is_emailed_to_the_pharmacist_and_stored_hashed(db, mailoutbox):
    from ldn.web.insights import trial as trials
    from ldn.web.insights.models import SealedAllocation

    pat = make_patient("pat")
    t = trials.create_trial(pat, design(), None)
    client = login(pat)
    response = client.post(f"/insights/trial/{t.pk}/link/", {"email": "rx@pharmacy.example"})
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["rx@pharmacy.example"]
    token = re.search(r"/insights/trial/sheet/([^/\s]+)/", message.body).group(1)
    sealed = SealedAllocation.objects.get(trial=t)
    assert sealed.token_hash == hashlib.sha256(token.encode()).hexdigest()  # stored hashed only
    assert token not in json.dumps([sealed.seed, sealed.orders, sealed.nonce])
    page = client.get(f"/insights/trial/{t.pk}/", follow=True).content.decode()
    assert token not in page and "e-mailed to r…@pharmacy.example" in page


def test_the_patient_cannot_send_the_link_to_their_own_address(db, mailoutbox):
    from ldn.web.insights import trial as trials
    from ldn.web.insights.models import SealedAllocation

    pat = make_patient("pat")
    t = trials.create_trial(pat, design(), None)
    response = login(pat).post(f"/insights/trial/{t.pk}/link/", {"email": "PAT@example.org"})
    assert response.status_code == 400
    assert "That is your own address" in response.content.decode()
    assert mailoutbox == [] and SealedAllocation.objects.get(trial=t).token_hash is None


def test_the_patients_pages_do_not_depend_on_the_allocation(db):
    """Two trials, opposite allocations, same design: the patient's pages must be identical."""
    from ldn.web.accounts.models import Share
    from ldn.web.insights import trial as trials

    d = design(pairs=4)
    pages = []
    for name, orders in (("p1", ("AB", "AB", "BA", "AB")), ("p2", ("BA", "BA", "AB", "BA"))):
        pat, doc = make_patient(name), make_clinician(f"doc-{name}")
        Share.objects.create(patient=pat, clinician=doc, areas=Share.all_areas())
        t = trials.create_trial(pat, d, None, seed=seed_with_orders(orders, d))
        seen = ""
        for who, url in (
            (pat, f"/insights/trial/{t.pk}/"),
            (pat, "/insights/"),
            (pat, f"/insights/trial/{t.pk}/unblind/"),
            (doc, f"/insights/trial/{t.pk}/"),
            (doc, f"/insights/patients/{pat.pk}/"),
        ):
            html = login(who).get(url).content.decode()
            html = html.replace(t.seal, "SEAL").replace(f"/trial/{t.pk}/", "/trial/PK/")
            html = html.replace(f"/patients/{pat.pk}/", "/patients/ID/")
            html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
            html = re.sub(r'<meta name="ldn-user" content="[^"]*">', "", html)  # per-user cache key
            seen += html.replace(name, "NAME")
        assert not any(word in seen for word in LDN_WORDS)
        pages.append(seen)
    assert pages[0] == pages[1]


def test_the_sheet_lists_what_goes_in_each_bottle_for_the_pharmacist(db):
    from ldn.web.insights import trial as trials

    pat = make_patient("pat")
    d = design(pairs=3, period_days=7, washout_days=2)
    t = trials.create_trial(pat, d, None, seed=seed_with_orders(("AB", "BA", "BA"), d))
    token = trials.issue_link(t, "issued by a test")
    response = Client().get(f"/insights/trial/sheet/{token}/")
    html = response.content.decode()
    rows = re.findall(r"<td>(Bottle \d)</td>.*?<strong>(.*?)</strong>", html, re.S)
    expected_ldn = ["Bottle 1", "Bottle 4", "Bottle 6"]  # AB, BA, BA -> LDN in periods 1, 4, 6
    assert [b for b, what in rows if what.startswith("LDN 4.5 mg")] == expected_ldn
    assert len(rows) == 6 and response["Referrer-Policy"] == "no-referrer"
    assert "Confidential: for the compounding pharmacist only." in html


def test_the_sheet_refuses_the_patient_and_their_clinician_while_sealed(world):
    from ldn.web.insights import trial as trials

    t = trials.create_trial(world.alice, design(), None)
    token = trials.issue_link(t, "issued by a test")
    for who in (world.alice, world.bob):
        response = login(who).get(f"/insights/trial/sheet/{token}/")
        assert response.status_code == 403
        assert "This sheet is for your pharmacist" in response.content.decode()
    assert login(world.charlie).get(f"/insights/trial/sheet/{token}/").status_code == 200


def test_a_new_link_retires_the_old_one_and_a_wrong_token_finds_nothing(db):
    from ldn.web.insights import trial as trials

    pat = make_patient("pat")
    t = trials.create_trial(pat, design(), None)
    old = trials.issue_link(t, "issued by a test")
    new = trials.issue_link(t, "issued by a test")
    assert Client().get(f"/insights/trial/sheet/{old}/").status_code == 404
    assert Client().get(f"/insights/trial/sheet/{new}/").status_code == 200
    assert Client().get("/insights/trial/sheet/not-a-token/").status_code == 404


def test_the_result_stays_sealed_until_unblinding_which_needs_confirmation(db):
    from ldn.web.insights import trial as trials

    pat = make_patient("pat")
    t = trials.create_trial(pat, design(start=dt.date.today() - dt.timedelta(days=20)), None)
    client = login(pat)
    assert client.get(f"/insights/trial/{t.pk}/result/")["Location"] == f"/insights/trial/{t.pk}/"
    page = client.get(f"/insights/trial/{t.pk}/unblind/").content.decode()
    assert "The trial is not over" in page and "periods not yet completed are not analysed" in page
    refused = client.post(f"/insights/trial/{t.pk}/unblind/", {})
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    t.refresh_from_db()
    assert not t.is_unblinded
    done = client.post(f"/insights/trial/{t.pk}/unblind/", {"confirm": "on"})
    assert done["Location"] == f"/insights/trial/{t.pk}/result/"
    t.refresh_from_db()
    assert t.is_unblinded and t.unblinded_early
    with pytest.raises(trials.TrialStateError):
        trials.unblinded_schedule(trials.Trial(patient=pat, start=t.start, pairs=2, period_days=7,
                                               washout_days=0, ldn_dose_mg=1, seal=""))  # fmt: skip


def scored_trial(pat, orders, ldn_score, placebo_score, pairs=5):
    """A finished trial with every analysed day scored by its (known) allocation."""
    import numpy as np

    from ldn.analysis import generate_schedule
    from ldn.web.insights import trial as trials
    from ldn.web.journal.models import DailyEntry, Symptom, SymptomRating

    d = design(pairs=pairs, period_days=7, washout_days=2)
    seed = seed_with_orders(orders, d)
    schedule = generate_schedule(d, np.random.default_rng(seed))
    pain = Symptom.objects.create(patient=pat, key="pain", name="Pain")
    for p in schedule.periods:
        for i in range(7):
            day = p.start + dt.timedelta(days=i)
            e = DailyEntry.objects.create(patient=pat, day=day)
            score = ldn_score if p.treatment == "ldn" else placebo_score
            SymptomRating.objects.create(entry=e, symptom=pain, score=score)
    t = trials.create_trial(pat, d, pain, seed=seed)
    trials.unblind(t, dt.date(2026, 6, 1))
    return t


def test_a_consistent_benefit_reaches_the_smallest_possible_randomisation_p(db):
    """Every pair favours LDN by 3 points: of the 2^5 admissible schedules only the actual one
    gives a mean difference as low, so the exact one-sided p is 1/32 (by counting the 2^5 sign
    assignments of the pair differences, independently of the code)."""
    pat = make_patient("pat")
    t = scored_trial(pat, ("AB", "BA", "AB", "AB", "BA"), ldn_score=3, placebo_score=6)
    html = login(pat).get(f"/insights/trial/{t.pk}/result/").content.decode()
    assert "Likely better on LDN" in html
    assert "-3.0 points" in html and "0.031" in html  # 1/32 = 0.03125
    assert "The allocation matches the seal shown when the trial began" in html
    assert html.count("LDN 4.5 mg</td>") == 5 and html.count("Placebo</td>") == 5


def test_no_difference_between_ldn_and_placebo_is_reported_as_no_clear_difference(db):
    pat = make_patient("pat")
    t = scored_trial(pat, ("AB", "BA", "AB", "AB", "BA"), ldn_score=5, placebo_score=5)
    html = login(pat).get(f"/insights/trial/{t.pk}/result/").content.decode()
    assert "No clear difference" in html and "Likely better on LDN" not in html


def test_a_changed_allocation_no_longer_matches_the_seal(db):
    import numpy as np

    from ldn.analysis import generate_schedule
    from ldn.web.insights.models import SealedAllocation

    pat = make_patient("pat")
    t = scored_trial(pat, ("AB", "BA", "AB", "AB", "BA"), ldn_score=3, placebo_score=6)
    other = generate_schedule(t.design, np.random.default_rng(999))
    SealedAllocation.objects.filter(trial=t).update(
        seed="999", orders=list(other.orders), nonce=other.nonce
    )
    html = login(pat).get(f"/insights/trial/{t.pk}/result/").content.decode()
    assert "does NOT match the seal" in html


def test_four_pairs_are_flagged_as_unable_to_reach_five_percent(db):
    from ldn.web.insights import trial as trials

    pat = make_patient("pat")
    t = trials.create_trial(pat, design(pairs=4), None)
    html = login(pat).get(f"/insights/trial/{t.pk}/").content.decode()
    assert "smallest possible one-sided p-value is 0.062" in html


def test_the_form_rejects_a_start_in_the_past_and_a_washout_longer_than_the_rules_allow(db):
    from ldn.web.journal.models import Symptom

    pat = make_patient("pat")
    pain = Symptom.objects.create(patient=pat, key="pain", name="Pain")
    base = {"pairs": 5, "period_days": 14, "ldn_dose_mg": "4.5", "primary_symptom": pain.pk}
    past = login(pat).post(
        "/insights/trial/new/", {**base, "start": "2020-01-01", "washout_days": 4}
    )
    assert "The trial cannot start in the past." in past.content.decode()
    start = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    long = login(pat).post("/insights/trial/new/", {**base, "start": start, "washout_days": 12})
    assert (
        "“Washout days at the start of each period” must be between 0 and "
        "“Days per period” - 3 (11), got 12." in long.content.decode()
    )


def test_days_inside_a_trial_are_left_out_of_the_before_after_analysis(db):
    from ldn.web.insights import trial as trials
    from ldn.web.insights.loader import load_diary
    from ldn.web.journal.models import DailyEntry, Symptom, SymptomRating

    pat = make_patient("pat")
    pain = Symptom.objects.create(patient=pat, key="pain", name="Pain")
    start = dt.date(2026, 1, 1)
    for i in range(60):
        e = DailyEntry.objects.create(patient=pat, day=start + dt.timedelta(days=i))
        SymptomRating.objects.create(entry=e, symptom=pain, score=5)
    trials.create_trial(pat, design(start=dt.date(2026, 1, 11), pairs=2, period_days=7,
                                    washout_days=2), None)  # fmt: skip
    kept = load_diary(pat).analysis_scores()["Pain"]
    assert int((kept == kept).sum()) == 60 - 28  # the 28 trial days are NaN


@pytest.mark.parametrize(
    ("dose", "confirm", "made"),
    [
        ("4.5", None, True),
        ("4.6", None, False),
        ("4.6", "4.6", True),
        ("50", None, False),
        ("50", "50", True),
        ("50.1", "50.1", False),
    ],
)
def test_the_trial_dose_follows_the_one_dose_rule(db, dose, confirm, made):
    from ldn.web.insights.models import Trial
    from ldn.web.journal.models import Symptom

    pat = make_patient("pat")
    pain = Symptom.objects.create(patient=pat, key="pain", name="Pain")
    start = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    data = {"start": start, "pairs": 5, "period_days": 14, "washout_days": 4,
            "ldn_dose_mg": dose, "primary_symptom": pain.pk}  # fmt: skip
    if confirm:
        data["confirm_high_dose"] = confirm
    page = login(pat).post("/insights/trial/new/", data).content.decode()
    assert Trial.objects.filter(patient=pat).exists() is made
    asked = f"Yes, {dose} mg is right: I know it is above the usual LDN range of 0.5 to 4.5 mg."
    assert (asked in page) is (not made and dose != "50.1")
    if dose == "50.1":  # refused by the rule itself, with its message
        assert "The dose must be between 0.1 and 50 mg, got 50.1." in page
