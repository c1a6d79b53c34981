"""Template context: unresolved contraindications for the signed-in patient, on every page."""

from __future__ import annotations

from django.http import HttpRequest

from ldn.web.accounts.models import User
from ldn.web.therapy import screening


def safety(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or not user.is_patient:
        return {}
    found = screening.unresolved_contraindications(user)
    return {"safety_contraindications": found, "safety_lines": screening.banner_lines(found)}
