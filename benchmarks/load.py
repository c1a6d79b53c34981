"""Load test: gunicorn (4 workers) on PostgreSQL and Redis, 50 patients and a clinician at once.

What it does, all on this machine (127.0.0.1 only, bounded in time):
1. starts a private redis-server (cache and task queue) and migrates an empty PostgreSQL database
   (its tables are flushed first: give it a database of its own);
2. creates the accounts through the app's own paths, in-process with Django's test client: the
   synthetic demo journal (`ldn.web.journal.demo`, 28 days before LDN and 182 on it) is exported
   as the app's JSON, then each patient signs up on the sign-up page and imports that file on the
   import pages (upload, confirm); a clinician made by `ldn clinician create` sets a password,
   turns on two-factor sign-in on its page and keeps the recovery codes; every patient shares
   with them (invitation, acceptance). The worker's warm-up is then run for every patient, as
   the task queue does after an import;
3. starts gunicorn with 4 workers (LDN_DEBUG off) and one `ldn worker`, both on Redis;
4. runs locust headless twice against it: the sign-in page alone (the reference, `--login-seconds`),
   then the mix (`--seconds`): 50 patients in sessions without pauses (dashboard, check-in read and
   save, history, insights) and one clinician (patient list, patient page, patient insights);
   with `--think S`, the mix again with S seconds' pause on average before each page (the pace of
   a person reading), whose latencies are what a patient waits when the server is not saturated
   (its throughput is set by the pace, so the goals are judged on the run without pauses);
5. prints, per page: requests, failures, requests/s, p50/p95/p99 and mean size, the mix's
   throughput as a multiple of the sign-in page's, the load average before and after, and the CPU
   each kind of process used during the mix (gunicorn, the task worker, PostgreSQL, Redis,
   locust: the first profile to look at); then stops every process it started.

The load generator shares the 2 cores with the server, so absolute numbers move with whatever
else runs; the ratio to the sign-in page, measured in the same run, moves less.

Usage: .venv/bin/python benchmarks/load.py [--patients 50] [--seconds 60] [--login-seconds 20]
       [--port 8103] [--redis-port 6393] [--reuse] [--think 0]
       [--database-url postgres://ldn_ci:ldn_ci@127.0.0.1:5432/ldn_perf]
Needs: PostgreSQL reachable at that URL, redis-server on PATH, locust (the "bench" extra).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "load-test-passphrase-7Qm"
GOALS = (
    "goals: 0 errors, p95 < 300 ms for patient pages, >= 0.3x the sign-in page, insights < 80 KiB"
)
PATIENT_PAGES = ("dashboard", "check-in GET", "check-in POST", "history", "insights")
SECRET = "load-benchmark-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"


def _wait_port(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on 127.0.0.1:{port} within {seconds:.0f} s")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


CPU_GROUPS = ("gunicorn", "ldn worker", "postgres", "redis-server")


def _cpu_seconds() -> dict[str, float]:
    """CPU seconds (user + system) used so far by the running processes of each group, from /proc,
    and by this process's finished children (locust, measured whole once it has exited)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = dict.fromkeys(CPU_GROUPS, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(os.getpid()):  # not this script itself
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        group = next((g for g in CPU_GROUPS if g in command), None)
        if group is not None:
            out[group] += (int(fields[11]) + int(fields[12])) / tick
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["locust"] = children.ru_utime + children.ru_stime
    return out


def cpu_report(before: dict[str, float], after: dict[str, float], seconds: float) -> str:
    """Where the CPU went during the mix, in cores (2 on this machine): the profile to start from."""
    used = {k: (after[k] - before.get(k, 0.0)) / seconds for k in after}
    parts = [f"{k} {v:.2f}" for k, v in sorted(used.items(), key=lambda kv: -kv[1])]
    return f"CPU during the mix, in cores: {', '.join(parts)} (sum {sum(used.values()):.2f})"


def _environment(args: argparse.Namespace, data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "LDN_DATA_DIR": data_dir,
        "LDN_DEBUG": "0",
        "SECRET_KEY": SECRET,
        "DJANGO_SETTINGS_MODULE": "ldn.web.settings",
        # Each process keeps to one BLAS thread: 4 workers on 2 cores only contend with more.
        "OPENBLAS_NUM_THREADS": "1",
    }


# --- accounts, through the app's own pages --------------------------------------------------


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _ok(response: object, expected: int, what: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    if status != expected:
        raise SystemExit(f"{what}: expected status {expected}, got {status}")


def _demo_file() -> bytes:
    from ldn.interop import write_json
    from ldn.web.journal.bundle import export_bundle
    from ldn.web.journal.demo import create_demo_patient

    today = dt.date.today()
    demo, _ = create_demo_patient(today)
    data = write_json(export_bundle(demo)).encode()
    demo.delete()
    return data


def _patient(client: object, username: str, export: bytes) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ldn.web.accounts.models import User

    r = client.post(  # type: ignore[attr-defined]
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    _ok(r, 302, f"sign-up of {username}")
    upload = SimpleUploadedFile("export.json", export, content_type="application/json")
    r = client.post("/journal/import/", {"format": "auto", "file": upload})  # type: ignore[attr-defined]
    _ok(r, 302, f"upload for {username}")
    _ok(client.get("/journal/import/preview/"), 200, f"preview for {username}")  # type: ignore[attr-defined]
    r = client.post("/journal/import/confirm/")  # type: ignore[attr-defined]
    if r.status_code != 302 or r.url != "/journal/import/result/":
        raise SystemExit(f"import for {username} not saved: {r.status_code} {r.get('Location')}")
    client.post("/accounts/logout/")  # type: ignore[attr-defined]
    return int(User.objects.get(username=username).pk)


def _clinician(client: object, env: dict[str, str]) -> tuple[str, list[str]]:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    email = "dr.load@example.org"
    out = subprocess.run(
        [str(VENV_BIN / "ldn"), "clinician", "create", "--email", email, "--name", "Dr Load"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    temporary = re.search(r"password: (\S+)", out)
    if temporary is None:
        raise SystemExit(f"`ldn clinician create` printed no password:\n{out}")
    r = client.post("/accounts/login/", {"username": email, "password": temporary.group(1)})  # type: ignore[attr-defined]
    _ok(r, 302, "clinician's first sign-in")
    r = client.post(  # type: ignore[attr-defined]
        "/accounts/password/change/",
        {
            "old_password": temporary.group(1),
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    _ok(r, 302, "clinician's new password")
    _ok(client.get("/clinic/2fa/"), 200, "2FA set-up page")  # type: ignore[attr-defined]
    device = TOTPDevice.objects.get(user__username=email)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    r = client.post("/clinic/2fa/", {"token": f"{token:0{device.digits}d}"})  # type: ignore[attr-defined]
    _ok(r, 200, "2FA confirmation")
    codes = re.findall(r"<code>([a-z0-9-]{6,})</code>", r.content.decode())
    if not codes:
        raise SystemExit("the recovery-code page shows no codes")
    return email, codes


def _share(patient_id: int, clinician_email: str, client: object) -> None:
    from ldn.web.accounts.models import Share, User
    from ldn.web.clinic import sharing

    patient = User.objects.get(pk=patient_id)
    _, code = sharing.create_invitation(patient, Share.all_areas())
    r = client.post("/clinic/accept/", {"code": sharing.pretty(code)})  # type: ignore[attr-defined]
    _ok(r, 302, f"{clinician_email} accepting {patient.username}'s invitation")


def _warm_up() -> None:
    from ldn.web.accounts.clock import local_today
    from ldn.web.accounts.models import User
    from ldn.web.insights.services import build_dashboard

    for user in User.objects.filter(username__startswith="load"):
        build_dashboard(user, local_today(user))  # what the worker's warm-up does after a change


def reuse_accounts(n_patients: int) -> dict[str, object] | None:
    """The accounts of an earlier run (`--reuse`), with fresh recovery codes, if all are there."""
    from ldn.web.accounts.models import Share, User
    from ldn.web.clinic import sharing, twofactor

    patients = list(
        User.objects.filter(username__startswith="load", role=User.Role.PATIENT)
        .order_by("username")
        .values("id", "username")
    )
    clinician = User.objects.filter(username="dr.load@example.org").first()
    if len(patients) != n_patients or clinician is None:
        return None
    shared = set(
        Share.objects.active().filter(clinician=clinician).values_list("patient_id", flat=True)
    )
    for p in patients:
        p["password"] = PASSWORD
        if p["id"] not in shared:  # an earlier run stopped before sharing: share as the views do
            patient = User.objects.get(pk=p["id"])
            sharing.accept(sharing.create_invitation(patient, Share.all_areas())[1], clinician)
    codes = twofactor.new_recovery_codes(clinician)
    _warm_up()
    return {
        "patients": patients,
        "clinician": {
            "username": clinician.username,
            "password": PASSWORD,
            "recovery_codes": codes,
        },
    }


def create_accounts(n_patients: int, env: dict[str, str]) -> dict[str, object]:
    from django.core.management import call_command
    from django.test import Client

    call_command("flush", interactive=False, verbosity=0)
    export = _demo_file()
    patients = []
    for i in range(n_patients):
        username = f"load{i:03d}"
        patients.append({"id": _patient(Client(), username, export), "username": username})
    clinician = Client()
    email, codes = _clinician(clinician, env)
    for p in patients:
        _share(int(p["id"]), email, clinician)  # type: ignore[call-overload]
    _warm_up()
    for p in patients:
        p["password"] = PASSWORD
    return {
        "patients": patients,
        "clinician": {"username": email, "password": PASSWORD, "recovery_codes": codes},
    }


def sign_in(accounts: dict[str, object]) -> None:
    """A session cookie per account, signed in on the sign-in page (the clinician also with a
    recovery code on the 2FA page), so password hashing is not part of the measured minutes."""
    from django.test import Client

    for p in accounts["patients"]:  # type: ignore[attr-defined]
        client = Client()
        r = client.post("/accounts/login/", {"username": p["username"], "password": PASSWORD})
        _ok(r, 302, f"sign-in of {p['username']}")
        p["session"] = client.cookies["sessionid"].value
    c = accounts["clinician"]
    client = Client()
    r = client.post("/accounts/login/", {"username": c["username"], "password": PASSWORD})  # type: ignore[index]
    _ok(r, 302, "clinician's sign-in")
    r = client.post("/clinic/2fa/", {"token": c["recovery_codes"][0]})  # type: ignore[index]
    _ok(r, 302, "clinician's recovery code")
    c["session"] = client.cookies["sessionid"].value  # type: ignore[index]


def _warm_server(port: int, session: str) -> None:
    """Every gunicorn worker has answered each measured page before anything is measured: the
    first request of a worker loads the knowledge base, the screening vocabulary and such."""
    from urllib.request import Request, urlopen

    for _ in range(6):
        for path in ("/accounts/login/", "/dashboard/", "/journal/checkin/", "/journal/history/",
                     "/insights/"):  # fmt: skip
            request = Request(f"http://127.0.0.1:{port}{path}")
            request.add_header("Cookie", f"sessionid={session}")
            with urlopen(request, timeout=300) as r:
                r.read()


def _drain_queue(seconds: float = 300.0) -> None:
    """Wait until the worker has run the tasks the set-up queued (warm-ups after the imports),
    so that they are not part of the measured minutes."""
    from huey.contrib.djhuey import HUEY

    deadline = time.monotonic() + seconds
    while HUEY.pending_count() and time.monotonic() < deadline:
        time.sleep(0.5)
    print(f"task queue: {HUEY.pending_count()} tasks waiting when the measurement starts")


# --- running and reading locust --------------------------------------------------------------


def _locust(
    classes: list[str], users: int, seconds: int, port: int, prefix: Path, env: dict[str, str]
) -> list[dict[str, str]]:
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(HERE / "load_users.py"),
        *classes,
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    subprocess.run(command, env=env, check=True, timeout=seconds + 120)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _row(r: dict[str, str]) -> str:
    return (
        f"{r['Name'][:30]:<30} {int(r['Request Count']):>7} {int(r['Failure Count']):>6} "
        f"{float(r['Requests/s']):>8.1f} {r['50%']:>6} {r['95%']:>6} {r['99%']:>6} "
        f"{float(r['Average Content Size']) / 1024:>8.1f}"
    )


def report(login: list[dict[str, str]], mix: list[dict[str, str]], loads: list[str]) -> bool:
    head = f"{'page':<30} {'requests':>7} {'fails':>6} {'req/s':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'KiB':>8}"
    print(f"\n{head}\n{'-' * len(head)}")
    login_row = next(r for r in login if r["Name"] == "login page")
    print(_row(login_row) + "   (alone, before the mix)")
    pages = [r for r in mix if r["Name"] != "Aggregated" and "session start" not in r["Name"]]
    for r in pages:
        print(_row(r))
    rate = sum(float(r["Requests/s"]) for r in pages)
    fails = sum(int(r["Failure Count"]) for r in mix if r["Name"] != "Aggregated")
    ratio = rate / float(login_row["Requests/s"])
    print(f"\nmix: {rate:.1f} requests/s = {ratio:.2f}x the sign-in page; failures: {fails}")
    print(f"load average (1, 5, 15 min): {' | '.join(loads)}")
    patient = [r for r in pages if r["Name"] in PATIENT_PAGES]
    worst = max(patient, key=lambda r: float(r["95%"]))
    insights = next((r for r in pages if r["Name"] == "insights"), None)
    kib = float(insights["Average Content Size"]) / 1024 if insights else float("nan")
    missing = [name for name in PATIENT_PAGES if name not in {r["Name"] for r in patient}]
    met = fails == 0 and float(worst["95%"]) < 300 and ratio >= 0.3 and kib < 80 and not missing
    print(f"{GOALS}\nworst patient p95: {worst['Name']} {worst['95%']} ms; insights {kib:.1f} KiB")
    if missing:  # no request of that page finished within the measured minutes
        print(f"pages never answered in the mix: {', '.join(missing)}")
    print("all goals met" if met else "goals NOT met")
    return met


def report_paced(mix: list[dict[str, str]]) -> None:
    """The paced run's table: latencies a patient meets at a reading pace (no goals judged)."""
    head = f"{'page':<30} {'requests':>7} {'fails':>6} {'req/s':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'KiB':>8}"
    print(f"{head}\n{'-' * len(head)}")
    pages = [r for r in mix if r["Name"] != "Aggregated" and "session start" not in r["Name"]]
    for r in pages:
        print(_row(r))
    patient = [r for r in pages if r["Name"] in PATIENT_PAGES]
    worst = max(patient, key=lambda r: float(r["95%"])) if patient else None
    fails = sum(int(r["Failure Count"]) for r in pages)
    rate = sum(float(r["Requests/s"]) for r in pages)
    if worst is not None:
        print(
            f"paced mix: {rate:.1f} requests/s, failures {fails}; "
            f"worst patient p95: {worst['Name']} {worst['95%']} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--login-seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--redis-port", type=int, default=6393)
    parser.add_argument(
        "--database-url", default="postgres://ldn_ci:ldn_ci@127.0.0.1:5432/ldn_perf"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="also run the mix with this many seconds' pause on average before each page",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the accounts of an earlier run with as many patients (else: flush, create)",
    )
    args = parser.parse_args()
    if not 1 <= args.patients <= 500 or not 5 <= args.seconds <= 600:
        parser.error("--patients must be 1-500 and --seconds 5-600")
    work = Path(tempfile.mkdtemp(prefix="ldn-load-"))
    env = _environment(args, str(work / "data"))
    started: list[subprocess.Popen[bytes]] = []
    try:
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        started.append(
            subprocess.Popen(
                [redis, "--port", str(args.redis_port), "--bind", "127.0.0.1", "--save", ""],
                stdout=subprocess.DEVNULL,
            )
        )
        _wait_port(args.redis_port)
        t0 = time.monotonic()
        _setup_django(env)
        accounts = (reuse_accounts(args.patients) if args.reuse else None) or create_accounts(
            args.patients, env
        )
        sign_in(accounts)
        (work / "accounts.json").write_text(json.dumps(accounts))
        env["LDN_LOAD_ACCOUNTS"] = str(work / "accounts.json")
        print(f"{args.patients} patients and a clinician ready in {time.monotonic() - t0:.0f} s")
        worker_log = (work / "worker.log").open("wb")
        started.append(
            subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "ldn.web.wsgi:application",
                    "--workers",
                    "4",
                    "--preload",
                    "--bind",
                    f"127.0.0.1:{args.port}",
                    "--log-level",
                    "warning",
                ],
                env=env,
            )
        )
        started.append(
            subprocess.Popen(
                [str(VENV_BIN / "ldn"), "worker", "--workers", "1", "--no-periodic"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=worker_log,  # a line per task: kept out of the printed summary
            )
        )
        _wait_port(args.port, 300)  # --preload: the master imports the app before it listens
        _drain_queue()
        _warm_server(args.port, accounts["patients"][0]["session"])  # type: ignore[index]
        loads = [_load()]
        login = _locust(["LoginPage"], 50, args.login_seconds, args.port, work / "login", env)
        loads.append(_load())
        users = args.patients + 1
        cpu_before, t_mix = _cpu_seconds(), time.monotonic()
        mix = _locust(["Patient", "Clinician"], users, args.seconds, args.port, work / "mix", env)
        cpu = cpu_report(cpu_before, _cpu_seconds(), time.monotonic() - t_mix)
        loads.append(_load())
        met = report(login, mix, loads)
        print(cpu)
        if args.think > 0:
            paced_env = {**env, "LDN_LOAD_THINK": str(args.think)}
            paced = _locust(
                ["Patient", "Clinician"], users, args.seconds, args.port, work / "paced", paced_env
            )
            print(f"\nthe same mix with {args.think:g} s pause on average before each page:")
            report_paced(paced)
        tasks = (work / "worker.log").read_text(errors="replace")
        print(
            f"worker: {tasks.count(' executed in ')} tasks run, {tasks.count('Traceback')} failed"
        )
        failures = work / "mix_failures.csv"
        if failures.exists() and len(failures.read_text().splitlines()) > 1:
            print(f"\nfailures:\n{failures.read_text()}")
        return 0 if met else 1
    finally:
        for process in reversed(started):  # worker, gunicorn, then the Redis they use
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
