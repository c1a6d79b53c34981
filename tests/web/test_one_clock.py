"""A patient's "today" and "now" come from one place, ldn.web.accounts.clock.

The web layer and the `ldn` command never ask the server for the date: the server runs on UTC
while a patient in Berlin checks in at 00:30 their time, on their own day. So outside clock.py
these are refused (a grep over the source, comments and strings left out):

- `date.today()`, `datetime.today()`, `datetime.now(...)`: the machine's date or time;
- `timezone.localdate()` and `timezone.localtime()` without a zone: the server's zone (UTC);
- `timezone.now().date()`: today in UTC.

Use `clock.local_today(patient)` / `local_now(patient)` for a patient's today and now,
`clock.local_todays(ids)` for many patients, `clock.now()` for the current instant (it is the
seam tests and a DEBUG server shift), `clock.zone_today(zone)` before a patient exists, and
`clock.utc_today()` for a stamp that is nobody's day. `timezone.now()` stays allowed for the
instant a row was written (audit, created_at): that is not anybody's today.

Run: bash scripts/test tests/web/test_one_clock.py -q
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "ldn"
CLOCK = SRC / "web" / "accounts" / "clock.py"
# The `ldn plan` command's --tz names the zone itself; no stored patient is involved.
ALLOWED = {("cli/dosing.py", "datetime.now(tzinfo)"), ("cli/dosing.py", "datetime.now(UTC)")}

SERVER_CLOCK = re.compile(
    r"\bdate\.today\(\)"
    r"|\bdatetime\.today\(\)"
    r"|\bdatetime\.now\([^)]*\)"
    r"|\btimezone\.localdate\(\)"
    r"|\btimezone\.localtime\(\)"
    r"|\btimezone\.now\(\)\.date\(\)"
)


def _code_only(text: str) -> str:
    """The source with comments and strings blanked, so a docstring may name what it avoids."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        out.append(" " if tok.type in (tokenize.COMMENT, tokenize.STRING) else tok.string)
    return " ".join(out)


def server_clock_uses(name: str, text: str) -> list[str]:
    code = re.sub(r"\s*([.()])\s*", r"\1", _code_only(text))
    return [
        f"{name}: {m.group(0)}"
        for m in SERVER_CLOCK.finditer(code)
        if (name, m.group(0)) not in ALLOWED
    ]


def test_nothing_outside_the_clock_asks_the_server_for_the_date() -> None:
    found = []
    for path in sorted([*(SRC / "web").rglob("*.py"), *(SRC / "cli").rglob("*.py")]):
        if path == CLOCK or "migrations" in path.parts:
            continue
        found += server_clock_uses(str(path.relative_to(SRC)), path.read_text())
    assert found == []


def test_the_grep_finds_each_server_clock_and_ignores_words_in_docstrings() -> None:
    code = (
        '"""Never date.today() here."""\n'
        "a = date.today()\n"
        "b = timezone.localdate()\n"
        "c = timezone.now().date()  # timezone.localtime()\n"
        "d = dt.datetime.now(dt.UTC)\n"
        "e = timezone.localtime(at, zone)\n"
    )
    assert server_clock_uses("x.py", code) == [
        "x.py: date.today()",
        "x.py: timezone.localdate()",
        "x.py: timezone.now().date()",
        "x.py: datetime.now(dt.UTC)",
    ]
