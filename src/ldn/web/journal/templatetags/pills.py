"""`{{ field|pills }}`: a choice field's options as pill labels, written out in Python.

The same markup as `{% for o in field %}<label class="pill">{{ o.tag }}<span>{{ o.choice_label }}
</span></label>{% endfor %}` with Django's input and attrs templates, without a template
render per option (about 15 renders on the check-in page).
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attrs(attrs: dict[str, object]) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"')
    return "".join(out)


@register.filter
def pills(field: BoundField) -> SafeString:
    html = []
    for option in field:
        data = option.data
        value = (
            "" if data["value"] is None else f' value="{conditional_escape(str(data["value"]))}"'
        )
        tag = mark_safe(  # every part escaped above or here
            f'<input type="{conditional_escape(data["type"])}" '
            f'name="{conditional_escape(data["name"])}"{value}{_attrs(data["attrs"])}>'
        )
        html.append(
            format_html('<label class="pill">{}<span>{}</span></label>', tag, data["label"])
        )
    return mark_safe("".join(html))
