"""Which HTTP methods each view accepts: every view says so with `@methods(...)`, and any other
method gets 405 Method Not Allowed before anything else runs (sign-in, access checks).

The set is kept on the view (`allowed_methods`), so tests/web/test_method_walk.py can ask
every URL, as every kind of user, with every method, and check the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.views.decorators.http import require_http_methods

KNOWN = frozenset({"GET", "HEAD", "POST"})


def methods(*allowed: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Accept only `allowed` (HEAD comes with GET)."""
    unknown = set(allowed) - KNOWN
    if unknown or not allowed:
        raise ValueError(f"methods() takes GET and/or POST, got {sorted(unknown) or 'none'}")
    accepted = frozenset(allowed) | ({"HEAD"} if "GET" in allowed else frozenset())

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        wrapped = require_http_methods(sorted(accepted))(view)
        wrapped.allowed_methods = accepted  # type: ignore[attr-defined]
        return wrapped

    return decorator
