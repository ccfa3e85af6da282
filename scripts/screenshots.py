"""The README's screenshots of the demonstration site, in light and dark, on a desktop and a
phone: Debian's chromium driven by Playwright, the site built afresh and served on loopback.

    python scripts/screenshots.py [--out docs/screenshots]

Each shot is of one part of one page (the home page's overview, a region's timeline and map,
an article's overview of its events), so that a README reader sees what the archive shows
without a page of chrome around it. `mkdocs.yml` keeps the folder out of the site.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the browser tests' chromium and loopback server

from browser import chromium, served  # noqa: E402

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Shot:
    name: str  # the file's name, less the scheme and `.png`
    path: str  # the page, from the site's root
    selector: str  # the part of the page shown
    viewport: dict[str, int]


SHOTS = [
    Shot("home-overview", "", ".ca-overview", DESKTOP),
    Shot("region-timeline", "regions/kyiv/", ".ca-timeline", DESKTOP),
    Shot("region-map", "regions/odesa-oblast/", ".ca-map", DESKTOP),
    Shot("archive-map", "map/", ".ca-map", DESKTOP),
    Shot(
        "article-overview-phone",
        "articles/2025/10/overnight-attacks-on-kyiv-zaporizhzhia-and-izmail/",
        ".ca-event-overview",
        PHONE,
    ),
]


def take(site: Path, out: Path) -> list[Path]:
    written = []
    out.mkdir(parents=True, exist_ok=True)
    with served(site) as base, chromium() as browser:
        for scheme in ("light", "dark"):
            for shot in SHOTS:
                context = browser.new_context(
                    viewport=shot.viewport,
                    color_scheme=scheme,  # type: ignore[arg-type]
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto(base + shot.path, wait_until="networkidle")
                box = page.locator(shot.selector).first.bounding_box()
                if box is None:
                    raise SystemExit(f"{shot.path or '/'}: nothing shown matches {shot.selector}")
                path = out / f"{shot.name}-{scheme}.png"
                # Cut from the whole page as it lies, unscrolled: the theme's sticky header stays
                # at the top instead of covering the part shown.
                margin = 8
                clip = {
                    "x": max(0.0, box["x"] - margin),
                    "y": max(0.0, box["y"] - margin),
                    "width": box["width"] + 2 * margin,
                    "height": box["height"] + 2 * margin,
                }
                page.screenshot(path=str(path), full_page=True, clip=clip, animations="disabled")  # type: ignore[arg-type]
                written.append(path)
                context.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="conflict-archive-shots-") as tmp:
        site = Path(tmp) / "site"
        mkdocs = Path(sys.executable).parent / "mkdocs"
        subprocess.run([str(mkdocs), "build", "--quiet", "--site-dir", str(site)], cwd=ROOT, check=True)
        for path in take(site, args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
