"""Lighthouse 12.2.3 scores of the patient's pages on a phone, as the demo patient.

Serves a throw-away copy of the app (`ldn serve --demo`, its own data folder) on 127.0.0.1:8101,
logs in as the demo patient, and runs Lighthouse (the npm package, its default phone profile:
Moto G Power viewport, 4x CPU slowdown, slow 4G) against Debian's Chromium for the home page,
today's check-in, the dashboard and insights. Prints the performance, accessibility and best
practices scores (0-100) and exits 1 if any is below 95.

Set up once (the folder is git-ignored):
    mkdir -p benchmarks/.node && (cd benchmarks/.node && npm i -E lighthouse@12.2.3)
Usage: .venv/bin/python benchmarks/lighthouse.py [--port 8101] [--keep DIR]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "benchmarks/.node/node_modules/lighthouse/cli/index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = {
    "home": "/",
    "check-in": "/journal/checkin/",
    "dashboard": "/dashboard/",
    "insights": "/insights/",
}
CATEGORIES = ("performance", "accessibility", "best-practices")
FLOOR = 95


def serve(port: int, data_dir: str) -> tuple[subprocess.Popen[str], str, str]:
    env = {**os.environ, "LDN_DATA_DIR": data_dir, "LDN_ENV": "local", "LDN_DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    ldn = str(Path(sys.executable).parent / "ldn")
    cmd = [ldn, "serve", "--demo", "--port", str(port), "--no-worker"]
    server = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    username = password = ""
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("username: "):
            username = line.split(": ", 1)[1].strip()
        if line.startswith("password: "):
            password = line.split(": ", 1)[1].strip()
            break
    if not password:
        server.kill()
        raise SystemExit("Error: `ldn serve --demo` printed no demo login")
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return server, username, password


def session_cookie(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "no CSRF token on the login page"
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    request = urllib.request.Request(
        base + "/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + "/accounts/login/"},
    )
    opener.open(request)
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("Error: the demo login was refused")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def lighthouse(url: str, cookie: str, out: Path) -> dict[str, int]:
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]
    subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": CHROME})
    report = json.loads(out.read_text())
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--keep", help="folder for the JSON reports (default: a temporary one)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            f"Error: {LIGHTHOUSE} is missing; see this script's docstring to install it"
        )
    data_dir = tempfile.mkdtemp(prefix="ldn-lighthouse-")
    reports = Path(args.keep or data_dir)
    reports.mkdir(parents=True, exist_ok=True)
    server, username, password = serve(args.port, data_dir)
    base = f"http://127.0.0.1:{args.port}"
    try:
        cookie = session_cookie(base, username, password)
        version = subprocess.run(
            ["node", str(LIGHTHOUSE), "--version"], capture_output=True, text=True
        ).stdout.strip()
        print(f"Lighthouse {version}, phone profile, {CHROME}, as the demo patient")
        print(f"{'page':<10} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        low = []
        for name, path in PAGES.items():
            scores = lighthouse(base + path, cookie, reports / f"{name}.json")
            print(f"{name:<10} " + " ".join(f"{scores[c]:>14}" for c in CATEGORIES), flush=True)
            low += [f"{name} {c} {s}" for c, s in scores.items() if s < FLOOR]
    finally:
        server.terminate()
        server.wait(timeout=30)
    if low:
        print(f"Below {FLOOR}: " + "; ".join(low))
        return 1
    print(f"Every score is at least {FLOOR}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
