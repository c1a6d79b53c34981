"""QR code of the feed URL as inline SVG (no image file, nothing sent to a third party)."""

from __future__ import annotations

import qrcode
from qrcode.image.svg import SvgPathImage


def svg(text: str) -> str:
    image = qrcode.make(text, image_factory=SvgPathImage, box_size=8, border=2)
    markup: str = image.to_string(encoding="unicode")
    if markup.startswith("<?xml"):
        markup = markup.split("?>", 1)[1].lstrip()
    return markup
