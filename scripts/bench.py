"""Benchmark: the plugin against plain MkDocs + Material, side by side, in one run.

For each size N it generates a deterministic synthetic archive (obviously synthetic: titles are
"Synthetic report 000042"), then builds
  - plain:  the same N Markdown bodies as ordinary pages kept out of the nav, Material, search;
  - plugin: the archive with the conflict-archive plugin and every feature on;
  - blog (with --compare-blog): Material's blog and tags plugins over the same bodies as posts.
Each build runs in its own process; wall time, CPU time and peak RSS are measured per process.
With --repeat K every size and variant is built K times, in rounds, and the fastest run of
each is kept: the machines are shared, and a neighbour's load only ever adds time.
Prints a table, writes the results as JSON, and (with --docs) docs/benchmarks.md with a chart.

    python scripts/bench.py --sizes 2500,10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

REGIONS_SKEW = [  # a few huge terms and a long tail, as in real archives
    "kyiv",
    "kharkiv",
    "odesa",
    "dnipro",
    "zaporizhzhia",
    "kherson",
    "mykolaiv",
    "sumy",
    "kramatorsk",
    "kyiv-dniprovskyi",
    "kyiv-darnytskyi",
    "kyiv-pecherskyi",
    "kharkiv-saltivskyi",
    "chernihiv",
    "poltava",
    "kryvyi-rih",
    "lviv",
    "vinnytsia",
    "uman",
    "izmail",
    "bila-tserkva",
    "pokrovsk",
    "kostiantynivka",
    "sloviansk",
    "nikopol",
    "pavlohrad",
    "kupiansk",
    "izium",
    "okhtyrka",
    "ternopil",
]
TYPES = [
    "air-drone-strike",
    "shelling-artillery-missile-attack",
    "armed-clash",
    "attack",
    "remote-explosive-landmine-ied",
]
ACTORS = [
    "russian-armed-forces",
    "russian-aerospace-forces",
    "ukrainian-armed-forces",
    "civilians-ukraine",
    "emergency-services-ukraine",
    "government-of-ukraine",
]
WEAPONS = ["shahed-136", "kh-101", "iskander-m", "kab-500", "bm-21-grad", "s-300", "fpv-drone", "kalibr"]
WORDS = [
    "synthetic",
    "benchmark",
    "text",
    "describing",
    "nothing",
    "real",
    "with",
    "several",
    "ordinary",
    "words",
    "so",
    "that",
    "the",
    "markdown",
    "renderer",
    "has",
    "realistic",
    "paragraphs",
    "to",
    "work",
    "through",
]

MKDOCS_COMMON = """\
site_name: Synthetic benchmark archive
site_url: https://synthetic.invalid/
theme:
  name: material
"""


@dataclass
class Result:
    size: int
    variant: str
    seconds: float
    peak_rss_mb: float
    output_mb: float
    largest_page_kb: float
    pages: int
    cpu_seconds: float = 0.0  # user + system
    round: int = 0  # which round of --repeat


def _in_round(results: list[Result], size: int, variant: str) -> dict[int, Result]:
    return {r.round: r for r in results if r.size == size and r.variant == variant}


def typical(results: list[Result], size: int, variant: str) -> Result:
    """The run with the median time among the rounds (the lower one of the middle two)."""
    runs = sorted(_in_round(results, size, variant).values(), key=lambda r: r.seconds)
    return runs[(len(runs) - 1) // 2]


def paired_ratio(results: list[Result], size: int, variant: str, base: str = "plain") -> float:
    """Median over the rounds of `variant`'s time over `base`'s in the same round.

    The machines are shared and their speed drifts by a third within minutes; runs built one
    after the other in a round share the drift, so their ratio is steady where the fastest of
    each variant, taken from different rounds, is not."""
    mine, theirs = _in_round(results, size, variant), _in_round(results, size, base)
    return statistics.median([mine[k].seconds / theirs[k].seconds for k in mine if k in theirs])


def growth(results: list[Result], variant: str, small: int, big: int) -> float:
    """Median over the rounds of the time at `big` over the time at `small`."""
    at_big, at_small = _in_round(results, big, variant), _in_round(results, small, variant)
    return statistics.median([at_big[k].seconds / at_small[k].seconds for k in at_big if k in at_small])


def _body(rng: random.Random, number: int) -> str:
    paragraphs = []
    for p in range(9):
        words = [rng.choice(WORDS) for _ in range(120)]
        paragraphs.append(f"Synthetic paragraph {p + 1} of report {number:06d}: " + " ".join(words) + ".")
    return "\n\n".join(paragraphs) + "\n"


def _figure(rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.3:
        return None  # not reported
    if roll < 0.6:
        low = rng.randint(0, 20)
        return {"low": low, "high": low + rng.randint(1, 15)}
    return rng.randint(0, 30)


def _front(rng: random.Random, number: int) -> dict[str, object]:
    day = 20000 + number * 3 // 2  # ordinal days, spread over the years
    published = dt.date.fromordinal(730000 + day % 1400)
    events = []
    for index in range(rng.randint(1, 3)):
        event: dict[str, object] = {
            "date": (published - dt.timedelta(days=1)).isoformat(),
            "type": rng.choice(TYPES),
            "region": REGIONS_SKEW[min(int(rng.paretovariate(1.2)) - 1, len(REGIONS_SKEW) - 1)],
            "location": f"Synthetic location {index + 1}",
            "perpetrators": [rng.choice(ACTORS[:3])],
            "targeted": [rng.choice(ACTORS[3:])],
            "weapons": rng.sample(WEAPONS, rng.randint(0, 2)),
            "damage": ["synthetic damage"],
            "sources": [1],
        }
        for field in ("killed", "injured"):
            figure = _figure(rng)
            if figure is not None:
                event[field] = figure
        events.append(event)
    return {
        "title": f"Synthetic report {number:06d}",
        "date": published.isoformat(),
        "summary": f"Synthetic summary of report {number:06d}.",
        "tags": [f"synthetic tag {rng.randint(1, 60):02d}" for _ in range(rng.randint(0, 3))],
        "sources": [
            {"title": f"Synthetic source {number:06d}", "url": f"https://synthetic.invalid/{number}"}
        ],
        "events": events,
    }


def generate(root: Path, size: int, seed: int = 42) -> None:
    """Three site folders under root (plugin, plain, blog) over the same synthetic bodies."""
    rng = random.Random(seed)
    plugin, plain, blog = root / "plugin", root / "plain", root / "blog"
    for site in (plugin, plain, blog):
        (site / "docs").mkdir(parents=True)
        (site / "docs" / "index.md").write_text("# Synthetic benchmark archive\n", encoding="utf-8")
    (plugin / "mkdocs.yml").write_text(
        MKDOCS_COMMON + "plugins:\n  - search\n  - conflict-archive\n", encoding="utf-8"
    )
    (plain / "mkdocs.yml").write_text(
        MKDOCS_COMMON + "plugins:\n  - search\nnav:\n  - index.md\nnot_in_nav: |\n  /articles/**\n",
        encoding="utf-8",
    )
    (blog / "mkdocs.yml").write_text(
        MKDOCS_COMMON + "plugins:\n  - search\n  - blog\n  - tags\n", encoding="utf-8"
    )
    (blog / "docs" / "blog" / "posts").mkdir(parents=True)
    (blog / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    for number in range(1, size + 1):
        front = _front(rng, number)
        body = _body(rng, number)
        folder = f"{number // 1000:03d}"
        article = plugin / "articles" / folder / f"report-{number:06d}.md"
        article.parent.mkdir(parents=True, exist_ok=True)
        article.write_text(
            "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + body, encoding="utf-8"
        )
        page = plain / "docs" / "articles" / folder / f"report-{number:06d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntitle: {front['title']}\n---\n{body}", encoding="utf-8")
        categories = sorted({e["region"] for e in front["events"]})  # type: ignore[union-attr,index]
        post = {
            "date": dt.date.fromisoformat(str(front["date"])),  # the blog plugin wants a YAML date
            "title": front["title"],
            "categories": categories,
            "tags": front["tags"],
        }
        (blog / "docs" / "blog" / "posts" / f"report-{number:06d}.md").write_text(
            "---\n" + yaml.safe_dump(post, sort_keys=False) + "---\n" + body, encoding="utf-8"
        )


def build(site: Path, size: int, variant: str, round_: int = 0) -> Result:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1761091200"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    cpu_seconds = usage.ru_utime + usage.ru_stime
    if status != 0:
        raise SystemExit(
            f"{variant} build of {size} failed:\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    pages = list((site / "site").rglob("*.html"))
    files = [p for p in (site / "site").rglob("*") if p.is_file()]
    return Result(
        size=size,
        variant=variant,
        seconds=round(seconds, 2),
        cpu_seconds=round(cpu_seconds, 2),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
        output_mb=round(sum(p.stat().st_size for p in files) / 1e6, 1),
        largest_page_kb=round(max(p.stat().st_size for p in pages) / 1024, 1),
        pages=len(pages),
        round=round_,
    )


# One `mkdocs serve` rebuild, as serve does it (configuration read again, plugins that define
# on_startup kept, the live-reload server running in a thread, which rules out forking), after
# one article's body changed; run in a fresh process per variant.
_SERVE_REBUILD = """
import sys, threading, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
threading.Thread(target=threading.Event().wait, daemon=True).start()  # stands in for the server
config_file, article = sys.argv[1], Path(sys.argv[2])
config = load_config(config_file)
config.plugins.on_startup(command="serve", dirty=False)
build(config)
article.write_text(article.read_text(encoding="utf-8") + "\\nSynthetic edit.\\n", encoding="utf-8")
started = time.perf_counter()
build(load_config(config_file))
print(time.perf_counter() - started)
"""


def serve_rebuild(root: Path, size: int) -> dict[str, float]:
    """Seconds for one serve rebuild after editing one article, plain and plugin."""
    number = size // 2
    folder = f"{number // 1000:03d}"
    edited = {
        "plain": root / "plain" / "docs" / "articles" / folder / f"report-{number:06d}.md",
        "plugin": root / "plugin" / "articles" / folder / f"report-{number:06d}.md",
    }
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1761091200"}
    seconds = {}
    for variant, article in edited.items():
        output = subprocess.run(
            [sys.executable, "-c", _SERVE_REBUILD, str(root / variant / "mkdocs.yml"), str(article)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        seconds[variant] = round(float(output.strip().splitlines()[-1]), 2)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,10000")
    parser.add_argument(
        "--compare-blog",
        type=int,
        default=0,
        metavar="N",
        help="also build Material's blog+tags over the first N articles",
    )
    parser.add_argument("--output", type=Path, default=Path("benchmarks.json"))
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="K", help="build every size and variant K times, in rounds"
    )
    parser.add_argument(
        "--keep", type=Path, help="generate into this folder, a subfolder per size, and keep it"
    )
    parser.add_argument(
        "--docs", type=Path, metavar="MD", help="also write the results page (docs/benchmarks.md)"
    )
    parser.add_argument(
        "--from-json", type=Path, metavar="JSON", help="only write --docs from an earlier run"
    )
    parser.add_argument(
        "--serve",
        type=int,
        default=0,
        metavar="N",
        help="also time a `mkdocs serve` rebuild after editing one of N articles",
    )
    args = parser.parse_args()
    if args.from_json:
        earlier = json.loads(args.from_json.read_text(encoding="utf-8"))
        write_docs(args.docs, [Result(**r) for r in earlier["results"]], earlier.get("serve"))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    all_sizes = sorted({*sizes, *(n for n in (args.compare_blog, args.serve) if n)})
    roots = {}
    for size in all_sizes:
        root = (args.keep / str(size)) if args.keep else Path(tempfile.mkdtemp(prefix=f"ca-bench-{size}-"))
        if root.exists() and args.keep:
            shutil.rmtree(root)
        generate(root, size)
        roots[size] = root
    # Material's blog and tags plugins only at the size asked for: they grow quadratically.
    variants = {s: ["plain", "plugin", *(["blog"] if s == args.compare_blog else [])] for s in all_sizes}
    results: list[Result] = []
    # Every size and variant once per round: a slow spell on a shared machine then falls on
    # all of them alike, and the growth from one size to the next is measured side by side too.
    for round_ in range(args.repeat):
        for size in all_sizes:
            for variant in variants[size]:
                result = build(roots[size] / variant, size, variant, round_)
                results.append(result)
                print(json.dumps(asdict(result)), file=sys.stderr)
    serve: dict[str, float] | None = None
    if args.serve:
        rebuilds = [serve_rebuild(roots[args.serve], args.serve) for _ in range(args.repeat)]
        serve = {
            "size": args.serve,
            **{v: statistics.median([r[v] for r in rebuilds]) for v in ("plain", "plugin")},
            "ratio": round(statistics.median([r["plugin"] / r["plain"] for r in rebuilds]), 3),
        }
        print(json.dumps({"serve_rebuild": serve}), file=sys.stderr)
    if not args.keep:
        for root in roots.values():
            shutil.rmtree(root)
    _print_table(results)
    if serve:
        print(
            f"serve rebuild after one edit at {serve['size']:,}: plain {serve['plain']:.2f} s, "
            f"plugin {serve['plugin']:.2f} s ({serve['ratio']:.2f}x)"
        )
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "results": [asdict(r) for r in results],
        **({"serve": serve} if serve else {}),
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.docs:
        write_docs(args.docs, results, serve)
    return 0


def _svg_chart(results: list[Result]) -> str:
    """Build time per variant and size, as horizontal bars: plain SVG, no plotting library."""
    rows = _typical_runs(results)
    longest = max(r.seconds for r in rows)
    height = 28 * len(rows) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{height}" font-family="sans-serif" '
        'font-size="12" role="img" aria-label="Build time by archive size">'
    ]
    colours = {"plain": "#78909c", "plugin": "#ff7043", "blog": "#5c6bc0"}
    for i, r in enumerate(rows):
        y = 10 + 28 * i
        width = 420 * r.seconds / longest
        parts.append(f'<text x="0" y="{y + 15}">{r.size:,} {r.variant}</text>')
        parts.append(f'<rect x="120" y="{y}" width="{width:.1f}" height="20" fill="{colours[r.variant]}"/>')
        parts.append(f'<text x="{126 + width:.1f}" y="{y + 15}">{r.seconds:.1f} s</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _typical_runs(results: list[Result]) -> list[Result]:
    """One run per size and variant, the median one, in the order they were built."""
    keys = dict.fromkeys((r.size, r.variant) for r in results)
    return [typical(results, size, variant) for size, variant in keys]


def _targets(results: list[Result]) -> list[str]:
    """The scale targets, checked against this run: met or not, with the measured figure."""
    keys = {(r.size, r.variant) for r in results}
    sizes = sorted({size for size, variant in keys if variant == "plugin" and (size, "plain") in keys})
    if not sizes:
        return []
    big = sizes[-1]
    # Growth is judged over a factor of four (2,500 -> 10,000), as the targets are stated.
    small = min(sizes[:-1], key=lambda size: abs(big / size - 4), default=big)
    plugin, plain = typical(results, big, "plugin"), typical(results, big, "plain")
    checks = [
        (f"build time at {big:,} vs plain", paired_ratio(results, big, "plugin"), 1.3),
        (f"peak memory at {big:,} vs plain", plugin.peak_rss_mb / plain.peak_rss_mb, 1.5),
        (f"site size at {big:,} vs plain", plugin.output_mb / plain.output_mb, 1.5),
        (f"largest page at {big:,}, KB", plugin.largest_page_kb, 300.0),
    ]
    if big != small:
        checks.append(
            (
                f"build time at {big:,} vs at {small:,} ({big // small}x the articles)",
                growth(results, "plugin", small, big),
                1.1 * big / small,
            )
        )
        # Context for the line above: plain MkDocs' own growth in the same run.
        checks.append(
            (
                f"plain MkDocs' own growth, {small:,} to {big:,} (for reference)",
                growth(results, "plain", small, big),
                0.0,
            )
        )
    lines = ["## Targets", "", "| target | measured | limit | met |", "|---|--:|--:|---|"]
    for name, value, limit in checks:
        if limit == 0.0:
            lines.append(f"| {name} | {value:.3f} | | |")
        else:
            lines.append(f"| {name} | {value:.3f} | {limit:g} | {'yes' if value <= limit else 'no'} |")
    return lines


def write_docs(page: Path, results: list[Result], serve: dict[str, float] | None = None) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Build time, peak memory and output size of the conflict-archive plugin against plain MkDocs +",
        "Material building the same Markdown bodies as ordinary pages (kept out of the nav, search on),",
        "measured side by side in one run of `make bench` (`scripts/bench.py`). The archive is synthetic",
        'and deterministic: "Synthetic report 000042", 1 to 3 events each, regions drawn with a skewed',
        "distribution so that a few terms are huge, ranges and unreported figures.",
        "",
        f"![Build time by archive size]({page.with_suffix('.svg').name})",
        "",
        "| N | variant | seconds | CPU seconds | peak RSS MB | site MB | largest page KB | pages "
        "| time x plain | memory x plain |",
        "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    has_plain = {r.size for r in results if r.variant == "plain"}
    for r in _typical_runs(results):
        base = typical(results, r.size, "plain") if r.size in has_plain else None
        time_ratio = f"{paired_ratio(results, r.size, r.variant):.2f}" if base else "-"
        memory_ratio = f"{r.peak_rss_mb / base.peak_rss_mb:.2f}" if base else "-"
        lines.append(
            f"| {r.size:,} | {r.variant} | {r.seconds:.1f} | {r.cpu_seconds:.1f} | {r.peak_rss_mb:.0f} | "
            f"{r.output_mb:.0f} | "
            f"{r.largest_page_kb:.0f} | {r.pages:,} | {time_ratio} | {memory_ratio} |"
        )
    lines += ["", *_rounds(results)]
    lines += ["", *_targets(results)]
    if serve:
        lines += [
            "",
            "## Rebuild in `mkdocs serve`",
            "",
            f"After editing one of {serve['size']:,.0f} articles, a `mkdocs serve` rebuild took "
            f"{serve['plain']:.1f} s for plain MkDocs and {serve['plugin']:.1f} s with the plugin "
            f"({serve.get('ratio', serve['plugin'] / serve['plain']):.2f}x, medians of `--repeat` rebuilds).",
            "MkDocs rebuilds every page on every change;",
            "the plugin reads again only the articles whose bytes changed, and reuses the summary",
            "boxes, search text and sanitized bodies of the others (a cache keyed by path and",
            "SHA-256, emptied when a vocabulary, a template or the URL style changes); indexes,",
            "listings and footers are computed afresh, so no page is ever stale. Serve runs its",
            "live-reload server in a thread, and the plugin never forks with other threads running,",
            "so the rebuild is timed with a thread running too: it is all done in one process.",
        ]
    lines += [
        "",
        "How to read it: each round builds every size and variant once, one after the other. The",
        "machines are shared and their speed drifts by a third within minutes, so the tables show the",
        "median round, and every ratio (time x plain, growth) is the median over the rounds of the",
        "ratio within a round, where both builds ran under the same conditions. The fastest run of",
        "each variant, taken from different rounds, would compare a quiet minute with a busy one.",
        "CPU seconds are user plus system time, the second process included; peak RSS is the build",
        "process's. Reproduce with `make bench` (1,000 with the blog plugin, 2,500 and 10,000, five",
        "rounds; about half an hour on two cores), or",
        "`.venv/bin/python scripts/bench.py --sizes 1000 --compare-blog 1000` for a quick look.",
        "",
    ]
    page.write_text("\n".join(lines), encoding="utf-8")
    page.with_suffix(".svg").write_text(_svg_chart(results), encoding="utf-8")


def _rounds(results: list[Result]) -> list[str]:
    """Every round's times and ratios, so the spread behind the medians is on the page."""
    lines = [
        "## Every round",
        "",
        "| round | N | plain s | plugin s | plugin x plain | other |",
        "|--:|--:|--:|--:|--:|---|",
    ]
    for r in sorted(results, key=lambda r: (r.round, r.size)):
        if r.variant != "plugin":
            continue
        plain = _in_round(results, r.size, "plain").get(r.round)
        others = [
            f"{x.variant} {x.seconds:.1f} s"
            for x in results
            if x.round == r.round and x.size == r.size and x.variant not in {"plain", "plugin"}
        ]
        ratio = f"{r.seconds / plain.seconds:.2f}" if plain else "-"
        plain_seconds = f"{plain.seconds:.1f}" if plain else "-"
        cells = [str(r.round + 1), f"{r.size:,}", plain_seconds, f"{r.seconds:.1f}", ratio, ", ".join(others)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _print_table(results: list[Result]) -> None:
    header = ("N", "variant", "seconds", "peak MB", "site MB", "largest KB", "pages", "x plain")
    print(" ".join(f"{h:>10}" for h in header))
    has_plain = {r.size for r in results if r.variant == "plain"}
    for r in _typical_runs(results):
        ratio = f"{paired_ratio(results, r.size, r.variant):.2f}" if r.size in has_plain else "-"
        print(
            f"{r.size:>7} {r.variant:>7} {r.seconds:>8.2f} {r.peak_rss_mb:>8.1f} {r.output_mb:>8.1f} "
            f"{r.largest_page_kb:>10.1f} {r.pages:>7} {ratio:>8}"
        )


if __name__ == "__main__":
    sys.exit(main())
