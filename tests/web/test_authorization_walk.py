"""Every URL that takes an object id answers each role as the access rules say."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.web import authz


def test_every_parameterised_url_is_covered_by_the_walk():
    assert authz.uncovered_urls() == []


@pytest.mark.parametrize("name", sorted(authz.OBJECT_URLS))
def test_each_role_gets_the_answer_the_access_rules_give(world, name):
    assert authz.check_url(name, authz.OBJECT_URLS[name], world) == []


@override_settings(ROOT_URLCONF="tests.web.leaky_urls")
def test_the_walk_catches_a_view_that_skips_the_access_module(world):
    spec = authz.OBJECT_URLS["journal:entry"]
    failures = authz.check_url("leaky_entry", spec, world, urlconf="tests.web.leaky_urls")
    assert any("as mallory: expected 404, got 200" in f for f in failures)
    assert any("as charlie: expected 404, got 200" in f for f in failures)


def test_the_walk_reports_a_new_parameterised_url_nobody_registered():
    assert authz.uncovered_urls("tests.web.leaky_urls") == ["leaky_entry"]
