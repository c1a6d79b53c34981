"""Draw the app icons (PNG) of the web app manifest from src/ldn/web/static/ldn/icon.svg.

The SVG is read, not copied: its circles and its one cubic path (M … c …) are drawn with Pillow
at eight times the size and scaled down (anti-aliasing). Run after changing the SVG:

    .venv/bin/python scripts/pwa_icons.py

It writes icon-192.png, icon-512.png, icon-maskable-512.png and apple-touch-icon.png into
src/ldn/web/pwa/static/pwa/. The maskable and Apple icons fill the whole square with the
icon's background colour and keep the drawing inside the central safe zone (80 % circle).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "src/ldn/web/static/ldn/icon.svg"
OUT = ROOT / "src/ldn/web/pwa/static/pwa"
NS = "{http://www.w3.org/2000/svg}"
SUPER = 8  # drawn this many times larger, then scaled down


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    if len(colour) == 3:  # #fff
        colour = "".join(ch * 2 for ch in colour)
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _cubic_points(d: str) -> list[tuple[float, float]]:
    """Points along a path of the form "M x y c dx1 dy1 dx2 dy2 dx dy" (the icon's only shape)."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    if not re.fullmatch(r"M[^a-zA-Z]+c[^a-zA-Z]+", d.strip()) or len(numbers) != 8:
        raise ValueError(f"icon.svg path must be 'M x y c …' with 8 numbers, got {d!r}")
    x0, y0, c1x, c1y, c2x, c2y, ex, ey = numbers
    p1, p2, p3 = (x0 + c1x, y0 + c1y), (x0 + c2x, y0 + c2y), (x0 + ex, y0 + ey)
    points = []
    for i in range(513):
        t = i / 512
        a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        points.append(
            (a * x0 + b * p1[0] + c * p2[0] + e * p3[0], a * y0 + b * p1[1] + c * p2[1] + e * p3[1])
        )
    return points


def render(size: int, *, full_bleed: bool, scale: float = 1.0) -> Image.Image:
    """The icon at `size` px; `scale` shrinks the drawing around the centre (for safe zones)."""
    root = ET.parse(SVG).getroot()
    _, _, box_w, _ = (float(v) for v in root.attrib["viewBox"].split())
    big = size * SUPER
    unit = big / box_w * scale
    offset = big * (1 - scale) / 2
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def xy(x: float, y: float) -> tuple[float, float]:
        return offset + x * unit, offset + y * unit

    first = True
    for element in root:
        tag = element.tag.removeprefix(NS)
        if tag == "circle":
            cx, cy, r = (float(element.attrib[k]) for k in ("cx", "cy", "r"))
            fill = _rgb(element.attrib["fill"])
            if first and full_bleed:  # the background disc becomes the whole square
                draw.rectangle((0, 0, big, big), fill=fill)
            else:
                (x, y), rr = xy(cx, cy), r * unit
                draw.ellipse((x - rr, y - rr, x + rr, y + rr), fill=fill)
        elif tag == "path":
            width = float(element.attrib["stroke-width"]) * unit
            colour = _rgb(element.attrib["stroke"])
            points = [xy(x, y) for x, y in _cubic_points(element.attrib["d"])]
            for x, y in points:  # a round brush along the curve: stroke-linecap="round" too
                draw.ellipse(
                    (x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=colour
                )
        else:
            raise ValueError(f"icon.svg has a <{tag}> this script does not draw")
        first = False
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    render(192, full_bleed=False).save(OUT / "icon-192.png", optimize=True)
    render(512, full_bleed=False).save(OUT / "icon-512.png", optimize=True)
    render(512, full_bleed=True, scale=0.72).save(OUT / "icon-maskable-512.png", optimize=True)
    apple = render(180, full_bleed=True, scale=0.8).convert("RGB")  # iOS shows no transparency
    apple.save(OUT / "apple-touch-icon.png", optimize=True)
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(ROOT), Image.open(path).size)


if __name__ == "__main__":
    main()
