"""Locust users for benchmarks/load.py (not run on its own: load.py writes the accounts file).

Every user starts with the session cookie load.py got by signing in on the sign-in page (the
clinician also with a recovery code), so the measured minutes hold no password hashing.
Patients repeat a session: dashboard, today's check-in (read, then saved with new scores),
history, insights; without pauses, or with LDN_LOAD_THINK seconds on average between pages
(uniform, half to one and a half times that) when it is set. The clinician opens the patient list, a patient's page and
that patient's insights.
`LoginPage` only reads the sign-in page: the reference measured against the same server.
Every page is checked for its status and a word it must contain, so an error page is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from http.cookiejar import Cookie
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, task

ACCOUNTS = json.loads(Path(os.environ["LDN_LOAD_ACCOUNTS"]).read_text(encoding="utf-8"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SYMPTOM_FIELD = re.compile(r'name="(symptom_\d+)"')
_next_patient = itertools.count()
_lock = threading.Lock()
THINK = float(os.environ.get("LDN_LOAD_THINK", "0"))


def _csrf(text: str) -> str:
    found = CSRF.search(text)
    if found is None:
        raise ValueError("no CSRF token on the page")
    return found.group(1)


class _Signed(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def think(self) -> None:
        if THINK:
            gevent.sleep(random.uniform(0.5 * THINK, 1.5 * THINK))  # locust's users are greenlets

    def page(self, path: str, name: str, must_contain: str) -> str:
        self.think()
        with self.client.get(path, name=name, catch_response=True) as response:
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif must_contain not in text:
                response.failure(f"{must_contain!r} missing")
            return text

    def use_session(self, session: str) -> None:
        host = "127.0.0.1"
        self.client.cookiejar.set_cookie(
            Cookie(0, "sessionid", session, None, False, host, False, False, "/", True,
                   False, None, False, None, None, {})
        )  # fmt: skip


class Patient(_Signed):
    weight = 50

    def on_start(self) -> None:
        with _lock:
            i = next(_next_patient) % len(ACCOUNTS["patients"])
        self.use_session(ACCOUNTS["patients"][i]["session"])

    @task
    def session(self) -> None:
        self.page("/dashboard/", "dashboard", "Check in")
        text = self.page("/journal/checkin/", "check-in GET", "csrfmiddlewaretoken")
        body = {"csrfmiddlewaretoken": _csrf(text)}
        for field in dict.fromkeys(SYMPTOM_FIELD.findall(text)):
            body[field] = str(random.randint(2, 8))
        body["sleep_quality"], body["stress"] = str(random.randint(3, 8)), str(random.randint(1, 6))
        self.think()
        with self.client.post(
            "/journal/checkin/",
            data=body,
            name="check-in POST",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"check-in not saved: status {response.status_code}")
        self.page("/journal/history/", "history", "<svg")
        self.page("/insights/", "insights", "Doses taken")


class Clinician(_Signed):
    fixed_count = 1

    def on_start(self) -> None:
        self.use_session(ACCOUNTS["clinician"]["session"])

    @task
    def rounds(self) -> None:
        self.page("/clinic/patients/", "clinician: patient list", "patient")
        patient = random.choice(ACCOUNTS["patients"])["id"]
        self.page(f"/clinic/patients/{patient}/", "clinician: patient view", "patient")
        self.page(f"/insights/patients/{patient}/", "clinician: patient insights", "Doses taken")


class LoginPage(FastHttpUser):
    wait_time = constant(0)

    @task
    def login_page(self) -> None:
        with self.client.get("/accounts/login/", name="login page", catch_response=True) as r:
            if r.status_code != 200 or "csrfmiddlewaretoken" not in (r.text or ""):
                r.failure(f"status {r.status_code}")
