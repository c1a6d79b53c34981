"""Liquid calculator page: results computed by hand, bad input shown at its field, dose forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

URL = reverse("therapy:liquid")


def calc(client, **params):
    base = {
        "tablet_mg": 50,
        "water_ml": 50,
        "dose_mg": 4.5,
        "syringe_resolution_ml": "0.1",
        "preparation": "plain_water",
    }
    return client.get(URL, base | params)


@pytest.mark.django_db
def test_fifty_mg_in_fifty_ml_is_one_mg_per_ml_so_4_5_mg_is_4_5_ml(client):
    # 50 mg / 50 ml = 1 mg/ml (arithmetic); 4.5 mg -> 4.5 ml, exactly on a 0.1 ml mark.
    result = calc(client).context["result"]
    assert result.concentration_mg_per_ml == pytest.approx(1.0)
    assert result.volume_ml == pytest.approx(4.5)
    assert result.error_percent == pytest.approx(0.0, abs=1e-9)


@pytest.mark.django_db
def test_rounding_to_the_syringe_mark_and_its_error_are_shown(client):
    # By hand: 50 mg / 45 ml = 1.1111 mg/ml; 4.5 mg needs 4.05 ml -> 4.1 ml (half up);
    # 4.1 ml holds 4.5556 mg, i.e. +1.23 % (tolerance 0.01 %).
    response = calc(client, water_ml=45)
    result = response.context["result"]
    assert result.volume_ml == pytest.approx(4.1)
    assert result.error_percent == pytest.approx(1.2346, abs=0.01)
    page = response.content.decode()
    assert "Draw up 4.1 ml" in page and "+1.23 %" in page


@pytest.mark.django_db
def test_storage_guidance_is_shown_with_its_source(client):
    page = calc(client).content.decode()
    assert "No published stability data" in page
    assert "Fawcett" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"water_ml": 0}, "water_ml", "Water (ml) must be greater than 0, got 0."),
        (
            {"dose_mg": 4, "tablet_mg": 3},
            "dose_mg",
            "Prescribed dose (mg) must not exceed the tablet content of 3 mg, got 4.",
        ),
        ({"tablet_mg": -50}, "tablet_mg", "Tablet strength (mg) must not be negative, got -50."),
    ],
)
def test_bad_input_reshows_the_form_with_the_cores_message_at_the_field(
    client, params, field, message
):
    response = calc(client, **params)
    assert response.context["result"] is None
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()


@pytest.mark.django_db
def test_a_word_instead_of_a_number_is_a_field_error_not_a_crash(client):
    response = calc(client, dose_mg="four")
    assert "dose_mg" in response.context["form"].errors


@pytest.mark.django_db
def test_the_dose_forms_page_lists_each_form_with_sources(client):
    from ldn.dosing import dose_forms

    page = client.get(reverse("therapy:dose_forms")).content.decode()
    for form in dose_forms().values():
        assert form.title in page


@pytest.mark.django_db
def test_0_75_mg_with_0_5_ml_marks_is_flagged_with_a_way_under_5_percent(client):
    # 1 mg/ml: 0.75 ml rounds up to 1.0 ml = 1 mg, +33.33 %; 0.05 ml marks draw 0.75 ml exactly.
    page = calc(client, dose_mg=0.75, syringe_resolution_ml="0.5").content.decode()
    assert "Draw up 1.0 ml" in page
    assert "1.0 ml gives 1 mg, +33.33 % from the 0.75 mg prescribed" in page
    assert "Use a syringe with 0.05 ml marks: draw 0.75 ml (+0.0%)." in page
    assert "Dissolve the tablet in 100 ml of water (0.5 mg/ml): draw 1.5 ml" in page


@pytest.mark.django_db
def test_a_small_rounding_error_is_not_flagged(client):
    page = calc(client, water_ml=45).content.decode()  # +1.23 %, see above
    assert "more than 5 %" not in page


@pytest.mark.django_db
def test_a_patient_with_a_plan_starts_at_tonights_planned_dose(client, world):
    import datetime as dt

    from ldn.web.accounts.clock import local_today
    from tests.web.therapy_helpers import give_plan

    give_plan(world.alice, "1.5@0,3@14", start=local_today(world.alice) - dt.timedelta(days=15))
    client.force_login(world.alice)
    response = client.get(URL)
    assert response.context["form"]["dose_mg"].value() == "3"
    assert "tonight's planned dose" in response.content.decode()


@pytest.mark.django_db
def test_without_a_plan_the_dose_starts_empty(client):
    assert client.get(URL).context["form"]["dose_mg"].value() is None
