"""The Content-Security-Policy header, and the development endpoint that logs violations."""

from __future__ import annotations

import ast
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client


def directives(header: str) -> dict[str, str]:
    """'a x; b y z' -> {'a': 'x', 'b': 'y z'} (django-csp does not keep the directives' order)."""
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REPORT = b'{"csp-report": {"violated-directive": "style-src-attr", "blocked-uri": "inline"}}'


def test_every_page_carries_the_policy_without_unsafe_inline(db):
    response = Client().get("/")
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("debug, expected", [("1", ["/csp-report/"]), ("0", None)])
def test_only_a_development_server_asks_browsers_for_reports(debug, expected):
    code = "from ldn.web import settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES'])"
    env = {**os.environ, "LDN_DEBUG": debug, "LDN_ENV": "local"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert ast.literal_eval(out.stdout).get("report-uri") == expected, out.stderr


def test_a_violation_report_is_logged_on_a_development_server(db, settings, caplog):
    settings.DEBUG = True
    with caplog.at_level(logging.WARNING, logger="ldn.csp"):
        response = Client(enforce_csrf_checks=True).post(
            "/csp-report/", REPORT, content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert caplog.messages == [f"CSP violation: {REPORT.decode()}"]


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_the_report_endpoint_accepts_only_post(db, settings, method):
    settings.DEBUG = True
    assert getattr(Client(), method)("/csp-report/").status_code == 405


def test_an_oversized_report_is_refused_and_not_logged(db, settings, caplog):
    settings.DEBUG = True
    body = b"x" * (16 * 1024 + 1)
    with caplog.at_level(logging.WARNING, logger="ldn.csp"):
        response = Client().post("/csp-report/", body, content_type="application/csp-report")
    logged = [r for r in caplog.records if r.name == "ldn.csp"]
    assert response.status_code == 413 and logged == []


def test_reports_are_not_collected_in_production(db, settings):
    settings.DEBUG = False
    response = Client().post("/csp-report/", REPORT, content_type="application/csp-report")
    assert response.status_code == 404
