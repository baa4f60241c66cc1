"""Draw the site's icons from static/icons/icon.svg: PNGs for phones and the web app
manifest, and favicon.ico for browsers that ask for it at the root.

    .venv/bin/python scripts/make_icons.py

Uses the system Chromium through Playwright (a test dependency); the results are committed,
so running the site needs neither.
"""

from __future__ import annotations

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
# Maskable icons are cut to a circle or a squircle by the phone: a full square background,
# the drawing inside the middle 80 %.
MASKABLE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" fill="#0b5674"/>
<g transform="translate(9.6 9.6) scale(.7)">{}</g></svg>"""


def _drawing(svg: str) -> str:
    """The icon's shapes without its rounded background."""
    body = svg.split("</title>", 1)[1].rsplit("</svg>", 1)[0]
    return body.split("/>", 1)[1]


def render(page, svg: str, size: int) -> bytes:  # noqa: ANN001
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        f'<html><body style="margin:0;background:transparent">'
        f'<div style="width:{size}px;height:{size}px">{svg}</div></body></html>'
    )
    page.eval_on_selector(
        "svg", f"s => {{ s.setAttribute('width', {size}); s.setAttribute('height', {size}); }}"
    )
    return page.screenshot(
        omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size}
    )


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file holding PNG images (understood by every browser since 2007)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, png in sorted(images.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        data += png
    return header + entries + data


def main() -> None:
    svg = (ICONS / "icon.svg").read_text()
    maskable = MASKABLE.format(_drawing(svg))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for name, size in (("apple-touch-icon", 180), ("icon-192", 192), ("icon-512", 512)):
            source = MASKABLE.format(_drawing(svg)) if name == "apple-touch-icon" else svg
            (ICONS / f"{name}.png").write_bytes(render(page, source, size))
        (ICONS / "icon-maskable-512.png").write_bytes(render(page, maskable, 512))
        (ICONS / "favicon.ico").write_bytes(
            ico({size: render(page, svg, size) for size in (16, 32, 48)})
        )
        browser.close()


if __name__ == "__main__":
    main()
