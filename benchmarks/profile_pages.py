"""Where a patient page's time goes: queries, HTML size and a cProfile of each page.

Builds a throw-away SQLite database with the synthetic demo patient (`ldn.web.journal.demo`:
28 days before LDN and 182 on it), fills the insights cache as the worker does after a change,
then requests each page through Django's test client (middleware, view, queries, template):
once to count queries and measure the HTML, then `--repeats` times under cProfile.
Prints per page: milliseconds per request, queries, KiB, and the functions with the most
cumulative time (`--top`). Set DATABASE_URL to profile on PostgreSQL instead.

`--session` instead times what the load benchmark's patients do, without cProfile: a whole
session (dashboard, check-in read, check-in saved with new scores, history, insights) `--repeats`
times, and prints the mean milliseconds of each step and of the session; the task queue is not
run (what a check-in queues costs the worker, not the page).

Usage: .venv/bin/python benchmarks/profile_pages.py [--repeats 20] [--top 25] [--page insights]
       [--session]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import sysconfig
import tempfile
import time

SITE = sysconfig.get_paths()["purelib"] + "/"
PAGES = {
    "dashboard": "/dashboard/",
    "check-in": "/journal/checkin/",
    "history": "/journal/history/",
    "insights": "/insights/",
}


def setup() -> None:
    os.environ["LDN_DATA_DIR"] = tempfile.mkdtemp(prefix="ldn-profile-")
    os.environ.setdefault(
        "SECRET_KEY", "profile-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "ldn.web.settings"
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _counter(queries: list[str]):  # type: ignore[no-untyped-def]
    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def time_sessions(client, repeats: int) -> None:  # type: ignore[no-untyped-def]
    """Mean ms per step of the load benchmark's patient session (benchmarks/load_users.py)."""
    import random
    import re

    field = re.compile(r'name="(symptom_\d+)"')
    steps: dict[str, list[float]] = {}

    def timed(name: str, call):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        response = call()
        steps.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        return response

    for i in range(repeats + 1):
        if i == 1:
            steps.clear()  # the first session fills per-process caches
        timed("dashboard", lambda: client.get(PAGES["dashboard"]))
        page = timed("check-in GET", lambda: client.get(PAGES["check-in"])).content.decode()
        body = {name: str(random.randint(2, 8)) for name in dict.fromkeys(field.findall(page))}
        body |= {"sleep_quality": str(random.randint(3, 8)), "stress": str(random.randint(1, 6))}
        saved = timed("check-in POST", lambda body=body: client.post(PAGES["check-in"], body))
        assert saved.status_code == 302, saved.status_code
        timed("history", lambda: client.get(PAGES["history"]))
        timed("insights", lambda: client.get(PAGES["insights"]))
    for name, ms in steps.items():
        print(f"{name:14} {sum(ms) / len(ms):7.1f} ms")
    total = sum(sum(ms) / len(ms) for ms in steps.values())
    print(f"{'session':14} {total:7.1f} ms ({repeats} sessions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--page", choices=sorted(PAGES), action="append")
    parser.add_argument("--session", action="store_true", help="time whole patient sessions")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client

    from ldn.web.accounts.clock import local_today
    from ldn.web.insights.services import build_dashboard
    from ldn.web.journal.demo import create_demo_patient

    patient, _ = create_demo_patient(dt.date.today())
    build_dashboard(patient, local_today(patient))  # the worker's warm-up after a change
    client = Client()
    client.force_login(patient)
    if args.session:
        time_sessions(client, args.repeats)
        return
    for name in args.page or list(PAGES):
        path = PAGES[name]
        queries: list[str] = []
        with connection.execute_wrapper(_counter(queries)):
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content) / 1024
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        for _ in range(args.repeats):
            client.get(path)
        profiler.disable()
        ms = (time.perf_counter() - t0) * 1000 / args.repeats
        print(
            f"\n=== {name} {path}: {ms:.1f} ms/request (under cProfile), "
            f"{len(queries)} queries, {size:.1f} KiB"
        )
        # The project's own functions by cumulative time (where a page's time goes), then every
        # function by its own time (what is hot inside them: templates, ORM, numpy).
        for title, order, only in (
            ("ldn functions, cumulative", "cumulative", r"/ldn/(?!.*site-packages)"),
            ("all functions, own time", "tottime", ""),
        ):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(order)
            stats.print_stats(*([only] if only else []), args.top)
            lines = [line for line in out.getvalue().splitlines() if line.strip()]
            start = next(i for i, line in enumerate(lines) if "ncalls" in line)
            print(f"--- {title}")
            print("\n".join(line.replace(SITE, "") for line in lines[start:]))


if __name__ == "__main__":
    main()
