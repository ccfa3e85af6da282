"""Benchmark: the plugin against plain MkDocs + Material, side by side, in one run.

For each size N it generates a deterministic synthetic archive (obviously synthetic: titles are
"Synthetic report 000042"), then builds
  - plain: the same N Markdown bodies as ordinary pages kept out of the nav, Material, search;
  - cold:  the archive with the conflict-archive plugin and every feature on, its cache empty;
  - warm:  the same again right after, with its cache filled by the cold build and one
           article edited since (a different one each round), as a second build of a site is;
  - blog (with --compare-blog): Material's blog and tags plugins over the same bodies as posts.
Each build runs in its own process; wall time, CPU time (worker processes included) and peak
RSS are measured per process. With --repeat K every size and variant is built K times, in
rounds; ratios are medians over the rounds of the ratio within a round. With --serve N it also
times a `mkdocs serve` rebuild after one edit, plain and plugin, K times after the rounds.
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
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

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
    search_seconds: float = 0.0  # the plugin's search index, from its start to its files
    search_wait_seconds: float = 0.0  # how long the build waited for it at the end
    index_mb: float = 0.0
    index_files: int = 0


def ram_folder() -> Path | None:
    """A folder in memory (Linux's /dev/shm), if there is one: on shared virtual machines the
    disk's speed swings several-fold within minutes (the system time of one and the same plain
    build went from 0.3 s to 4.9 s), which would drown what is measured. Both variants build
    there alike; None means the system's temporary folder."""
    folder = Path("/dev/shm")
    return folder if folder.is_dir() and os.access(folder, os.W_OK) else None


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


def article_paths(root: Path, number: int) -> dict[str, Path]:
    """Article `number` in the plugin's site and as a page in plain's."""
    folder, name = f"{number // 1000:03d}", f"report-{number:06d}.md"
    return {
        "plugin": root / "plugin" / "articles" / folder / name,
        "plain": root / "plain" / "docs" / "articles" / folder / name,
    }


def generate(root: Path, size: int, seed: int = 42) -> None:
    """Three site folders under root (plugin, plain, blog) over the same synthetic bodies."""
    rng = random.Random(seed)
    plugin, plain, blog = root / "plugin", root / "plain", root / "blog"
    for site in (plugin, plain, blog):
        (site / "docs").mkdir(parents=True)
        (site / "docs" / "index.md").write_text("# Synthetic benchmark archive\n", encoding="utf-8")
    # The plugin with its defaults: `workers: auto` and the cache in .cache/conflict-archive/.
    (plugin / "mkdocs.yml").write_text(
        MKDOCS_COMMON + "plugins:\n  - search\n  - conflict-archive\n", encoding="utf-8"
    )
    # The same site with the archive's own search (Pagefind) in place of Material's, into its
    # own folder so that the warm builds keep theirs.
    (plugin / SEARCH_CONFIG).write_text(
        MKDOCS_COMMON + "site_dir: site-search\nplugins:\n  - conflict-archive:\n      search: pagefind\n",
        encoding="utf-8",
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
        paths = article_paths(root, number)
        for path in paths.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        paths["plugin"].write_text(
            "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + body, encoding="utf-8"
        )
        paths["plain"].write_text(f"---\ntitle: {front['title']}\n---\n{body}", encoding="utf-8")
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


def empty_cache(site: Path) -> None:
    """Delete the plugin's cache (`cache_dir` defaults to .cache/conflict-archive/ beside
    mkdocs.yml), so that the next build starts as a first build does."""
    shutil.rmtree(site / ".cache", ignore_errors=True)


def edited_number(size: int, round_: int) -> int:
    """The article edited before round `round_`'s warm build: a different one each round (the
    rounds step through the archive by a prime, so none comes back within `size` rounds)."""
    return 1 + (size // 2 + 7919 * round_) % size


def edit_article(root: Path, size: int, round_: int) -> None:
    """Append a line to one article's body, so the warm build has a real edit to take up; in
    plain's copy too, so that the two sites keep the same bodies."""
    for path in article_paths(root, edited_number(size, round_)).values():
        with path.open("a", encoding="utf-8") as file:
            file.write(f"\nSynthetic edit {round_ + 1}.\n")


def edit_front_matter(root: Path, size: int, round_: int) -> None:
    """Change one article's summary (another article than `edit_article`'s): the edit that
    the archive's own pages show, in its box, its listings' rows and others' footers."""
    path = article_paths(root, edited_number(size, round_) % size + 1)["plugin"]
    text = path.read_text(encoding="utf-8")
    start = text.index("\nsummary: ") + 1
    end = text.index("\n", start)
    path.write_text(f"{text[:end].rstrip('.')}, edited {round_ + 1}.{text[end:]}", encoding="utf-8")


BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1761091200"}
# Built at every size, in this order: the cold build fills the cache the warm builds then use.
VARIANTS = ("plain", "cold", "warm", "warm-fm")
WARM = ("warm", "warm-fm")
SITE_OF = {
    "plain": "plain",
    "cold": "plugin",
    "warm": "plugin",
    "warm-fm": "plugin",
    "search": "plugin",
    "blog": "blog",
}
SEARCH_CONFIG = "mkdocs-search.yml"  # the plugin with `search: pagefind`, cold


class TreeMemory(threading.Thread):
    """The peak resident memory of a process and all its descendants together, sampled every
    tenth of a second: the build and its worker processes run at the same time, and the
    operating system only reports the largest single peak (`ru_maxrss`). Linux's /proc."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak = max(self.peak, self._tree_bytes())

    def _tree_bytes(self) -> int:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, pending = set(), [self.pid]
        while pending:
            pid = pending.pop()
            tree.add(pid)
            pending += [child for child, parent in parents.items() if parent == pid]
        total = 0
        for pid in tree:
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
            except OSError:
                continue
        return total


PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


SEARCH_LOG = re.compile(r"search index: [\d,]+ records in \S+, ([\d.]+) s, the build waited ([\d.]+) s")


def build(site: Path, size: int, variant: str, round_: int = 0) -> Result:
    with tempfile.TemporaryFile() as log:
        return _build(site, size, variant, round_, log)


def _build(site: Path, size: int, variant: str, round_: int, log: Any) -> Result:
    config, output = (SEARCH_CONFIG, "site-search") if variant == "search" else ("mkdocs.yml", "site")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-v", "-f", str(site / config)],
        env={**os.environ, **BUILD_ENV},
        stdout=subprocess.DEVNULL,
        stderr=log,  # a file: a pipe nobody reads while the build runs would fill and stop it
    )
    memory = TreeMemory(process.pid)
    if Path("/proc/self/statm").exists():
        memory.start()
    # wait4 reports the child's usage with that of the children it waited for: the plugin's
    # worker processes are such children, so their CPU time is in cpu_seconds. ru_maxrss is
    # the largest of those processes' peaks, not their sum: TreeMemory samples the sum.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    memory.done.set()
    cpu_seconds = usage.ru_utime + usage.ru_stime
    log.seek(0)
    printed = log.read().decode("utf-8", "replace")
    if status != 0:
        raise SystemExit(f"{variant} build of {size} failed:\n{printed[-5000:]}")
    searched = SEARCH_LOG.search(printed)
    index = [p for p in (site / output / "pagefind").rglob("*") if p.is_file()]
    pages = [p for p in (site / output).rglob("*.html") if "pagefind" not in p.parts]
    files = [p for p in (site / output).rglob("*") if p.is_file()]
    return Result(
        size=size,
        variant=variant,
        seconds=round(seconds, 2),
        cpu_seconds=round(cpu_seconds, 2),
        peak_rss_mb=round(max(usage.ru_maxrss * 1024, memory.peak) / 2**20, 1),
        output_mb=round(sum(p.stat().st_size for p in files) / 1e6, 1),
        largest_page_kb=round(max(p.stat().st_size for p in pages) / 1024, 1),
        pages=len(pages),
        round=round_,
        search_seconds=float(searched.group(1)) if searched else 0.0,
        search_wait_seconds=float(searched.group(2)) if searched else 0.0,
        index_mb=round(sum(p.stat().st_size for p in index) / 1e6, 1),
        index_files=len(index),
    )


def build_round(root: Path, size: int, variants: list[str], round_: int) -> list[Result]:
    """One build of each variant at `size`, one after the other, in the order given."""
    results = []
    for variant in variants:
        if variant in {"cold", "search"}:
            empty_cache(root / "plugin")
        elif variant == "warm":
            # The cold build just before filled the cache: it is the warm build's first build.
            edit_article(root, size, round_)
        elif variant == "warm-fm":
            edit_front_matter(root, size, round_)
        result = build(root / SITE_OF[variant], size, variant, round_)
        print(json.dumps(asdict(result)), file=sys.stderr)
        results.append(result)
    return results


# One `mkdocs serve` rebuild, as serve does it (configuration read again, plugins that define
# on_startup kept, the live-reload server running in a thread), after one article's body
# changed; run in a fresh process per variant. CPU time counts the process and the children it
# waited for (worker processes) during the timed rebuild only.
_SERVE_REBUILD = """
import json, resource, sys, threading, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

def cpu():
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

threading.Thread(target=threading.Event().wait, daemon=True).start()  # stands in for the server
config_file, article = sys.argv[1], Path(sys.argv[2])
config = load_config(config_file)
config.plugins.on_startup(command="serve", dirty=False)
build(config)
article.write_text(article.read_text(encoding="utf-8") + "\\nSynthetic edit.\\n", encoding="utf-8")
started, cpu_started = time.perf_counter(), cpu()
build(load_config(config_file))
print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": cpu() - cpu_started}))
"""


def serve_rebuild(root: Path, size: int) -> dict[str, float]:
    """Wall and CPU seconds of one serve rebuild after editing one article, plain and plugin.
    The plugin's cache starts empty, so the rebuild has what serve has after its first build:
    that build's readings in memory and its results in the cache, nothing older."""
    edited = article_paths(root, size // 2)
    empty_cache(root / "plugin")
    rebuild = {}
    for variant in ("plain", "plugin"):
        output = subprocess.run(
            [sys.executable, "-c", _SERVE_REBUILD, str(root / variant / "mkdocs.yml"), str(edited[variant])],
            env={**os.environ, **BUILD_ENV},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        timed = json.loads(output.strip().splitlines()[-1])
        rebuild[variant] = round(timed["seconds"], 2)
        rebuild[f"{variant}_cpu"] = round(timed["cpu_seconds"], 2)
    print(json.dumps({"serve_rebuild": rebuild}), file=sys.stderr)
    return rebuild


TYPICAL_QUERY = "?q=shelling&region=Kyiv"  # one word plus one filter
NEXT_WORD = "drone"  # the visit's next query: another word, the same filter


def measure_query(site: Path) -> dict[str, Any]:
    """What a typical query costs a reader of the built site: the search page opened with one
    word and one filter, in Debian's chromium; bytes of the index's files it fetched (the page,
    its theme and the search script aside, which any page loads and the browser keeps)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import Watched, bytes_of, chromium, served  # noqa: PLC0415 - the tests' own helpers

    with served(site) as base, chromium() as browser:
        page = browser.new_page()
        watched = Watched(page)
        page.goto(f"{base}search/{TYPICAL_QUERY}")
        page.wait_for_selector("#ca-search[data-ready=true]", timeout=120_000)
        results = page.inner_text("#ca-search-status")
        index = [url for url in watched.fetched if "/pagefind/" in url]
        # Pagefind's script, worker and WebAssembly: once a visit, and the same at any size.
        code = [url for url in index if ".pf_" not in url]
        everything = bytes_of(site, base, watched.fetched)
        # The next query of the visit: another word, the same filter.
        before = len(watched.fetched)
        page.fill("#ca-search-q", NEXT_WORD)
        page.press("#ca-search-q", "Enter")
        page.wait_for_function(f"() => location.search.includes('q={NEXT_WORD}')")
        page.wait_for_selector("#ca-search[data-ready=true]", timeout=120_000)
        following = [url for url in watched.fetched[before:] if "/pagefind/" in url]
        return {
            "query": TYPICAL_QUERY,
            "status": results,
            "index_kb": round(bytes_of(site, base, index) / 1024, 1),
            "index_requests": len(index),
            "code_kb": round(bytes_of(site, base, code) / 1024, 1),
            "all_kb": round(everything / 1024, 1),
            "next_kb": round(bytes_of(site, base, following) / 1024, 1),
        }


# The serve rebuilds: size, medians (plain, plugin, plain_cpu, plugin_cpu), ratio, rebuilds.
Serve = dict[str, Any]


def summarise_serve(size: int, rebuilds: list[dict[str, float]]) -> Serve:
    """Medians of the rebuilds, the ratio as the median of the paired ratios, and every rebuild."""
    medians = {key: round(statistics.median([r[key] for r in rebuilds]), 2) for key in rebuilds[0]}
    ratio = statistics.median([r["plugin"] / r["plain"] for r in rebuilds])
    return {"size": size, **medians, "ratio": round(ratio, 3), "rebuilds": rebuilds}


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
        "--workdir",
        type=Path,
        default=ram_folder(),
        help="where the sites are generated and built (default: /dev/shm where there is one)",
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
        help="also time a `mkdocs serve` rebuild after editing one of N articles, K times",
    )
    args = parser.parse_args()
    if args.from_json:
        earlier = json.loads(args.from_json.read_text(encoding="utf-8"))
        queries = {int(size): query for size, query in earlier.get("queries", {}).items()}
        write_docs(args.docs, [Result(**r) for r in earlier["results"]], earlier.get("serve"), queries)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    all_sizes = sorted({*sizes, *(n for n in (args.compare_blog, args.serve) if n)})
    roots = {}
    for size in all_sizes:
        root = (
            (args.keep / str(size))
            if args.keep
            else Path(tempfile.mkdtemp(prefix=f"ca-bench-{size}-", dir=args.workdir))
        )
        if root.exists() and args.keep:
            shutil.rmtree(root)
        generate(root, size)
        roots[size] = root
    # Material's blog and tags plugins only at the size asked for: they grow quadratically.
    variants = {s: [*VARIANTS, "search", *(["blog"] if s == args.compare_blog else [])] for s in all_sizes}
    results: list[Result] = []
    # Every size and variant once per round: a slow spell on a shared machine then falls on
    # all of them alike, and the growth from one size to the next is measured side by side too.
    for round_ in range(args.repeat):
        for size in all_sizes:
            results += build_round(roots[size], size, variants[size], round_)
    # What a reader's typical query fetches, from each size's last plugin build.
    queries = {size: measure_query(roots[size] / "plugin" / "site-search") for size in sizes}
    for size, query in queries.items():
        print(json.dumps({"query": size, **query}), file=sys.stderr)
    serve = None
    if args.serve:
        rebuilds = [serve_rebuild(roots[args.serve], args.serve) for _ in range(args.repeat)]
        serve = summarise_serve(args.serve, rebuilds)
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
        "queries": {str(size): query for size, query in queries.items()},
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.docs:
        write_docs(args.docs, results, serve, queries)
    return 0


COLOURS = {
    "plain": "#78909c",
    "cold": "#ff7043",
    "warm": "#ffb74d",
    "warm-fm": "#fdd835",
    "search": "#26a69a",
    "blog": "#5c6bc0",
}


def _svg_chart(results: list[Result]) -> str:
    """Build time per variant and size, as horizontal bars: plain SVG, no plotting library."""
    rows = _typical_runs(results)
    longest = max(r.seconds for r in rows)
    height = 28 * len(rows) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{height}" font-family="sans-serif" '
        'font-size="12" role="img" aria-label="Build time by archive size">'
    ]
    for i, r in enumerate(rows):
        y = 10 + 28 * i
        width = 420 * r.seconds / longest
        parts.append(f'<text x="0" y="{y + 15}">{r.size:,} {r.variant}</text>')
        parts.append(f'<rect x="120" y="{y}" width="{width:.1f}" height="20" fill="{COLOURS[r.variant]}"/>')
        parts.append(f'<text x="{126 + width:.1f}" y="{y + 15}">{r.seconds:.1f} s</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _typical_runs(results: list[Result]) -> list[Result]:
    """One run per size and variant, the median one, in the order they were built."""
    keys = dict.fromkeys((r.size, r.variant) for r in results)
    return [typical(results, size, variant) for size, variant in keys]


def _scale_checks(results: list[Result]) -> list[tuple[str, float, float]]:
    """(target, measured, limit) for the builds at the largest size with plain beside them;
    limit 0: shown for reference only."""
    keys = {(r.size, r.variant) for r in results}
    sizes = sorted({size for size, variant in keys if variant == "cold" and (size, "plain") in keys})
    if not sizes:
        return []
    big = sizes[-1]
    # Growth is judged over a factor of four (2,500 -> 10,000), as the targets are stated.
    small = min(sizes[:-1], key=lambda size: abs(big / size - 4), default=big)
    cold, plain = typical(results, big, "cold"), typical(results, big, "plain")
    # The cold build reads and renders everything and so needs the most memory; the target is
    # judged on the highest of them all the same.
    memory = {v: typical(results, big, v).peak_rss_mb / plain.peak_rss_mb for v in ("cold", *WARM)}
    checks = [
        (f"cold build time at {big:,} vs plain", paired_ratio(results, big, "cold"), 1.3),
        (
            f"warm build time at {big:,}, one article's body edited, vs plain",
            paired_ratio(results, big, "warm"),
            1.15,
        ),
        (
            f"warm build time at {big:,}, one article's front-matter edited, vs plain",
            paired_ratio(results, big, "warm-fm"),
            1.15,
        ),
        (
            f"peak memory at {big:,} vs plain, the highest of "
            + ", ".join(f"{v} ({ratio:.2f})" for v, ratio in memory.items()),
            max(memory.values()),
            1.5,
        ),
        (f"site size at {big:,} vs plain", cold.output_mb / plain.output_mb, 1.5),
        (f"largest page at {big:,}, KB", cold.largest_page_kb, 300.0),
    ]
    if big != small:
        checks += [
            (
                f"cold build time at {big:,} vs at {small:,} ({big // small}x the articles)",
                growth(results, "cold", small, big),
                1.1 * big / small,
            ),
            # Context for the line above: plain MkDocs' own growth in the same run.
            (
                f"plain MkDocs' own growth, {small:,} to {big:,} (for reference)",
                growth(results, "plain", small, big),
                0.0,
            ),
        ]
    return checks


def _targets(results: list[Result], serve: Serve | None) -> list[str]:
    """The scale targets, checked against this run: met or not, with the measured figure."""
    checks = _scale_checks(results)
    if serve:
        checks.append((f"`mkdocs serve` rebuild at {serve['size']:,} vs plain's", serve["ratio"], 1.1))
    if not checks:
        return []
    lines = ["## Targets", "", "| target | measured | limit | met |", "|---|--:|--:|---|"]
    return lines + [_check_row(name, value, limit, ".3f") for name, value, limit in checks]


def _check_row(name: str, value: float, limit: float, value_format: str) -> str:
    """One row of a table of targets; a limit of 0 marks a figure given for reference."""
    shown = format(value, value_format)
    if limit == 0.0:
        return f"| {name} | {shown} | | |"
    return f"| {name} | {shown} | {limit:g} | {'yes' if value <= limit else 'no'} |"


KEPT_APART = "<!-- measured apart: make bench keeps what follows -->"


def write_docs(
    page: Path,
    results: list[Result],
    serve: Serve | None = None,
    queries: dict[int, dict[str, Any]] | None = None,
) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Build time, CPU time, peak memory and output size of the conflict-archive plugin against",
        "plain MkDocs + Material building the same Markdown bodies as ordinary pages (kept out of the",
        "nav, search on), measured side by side in one run of `make bench` (`scripts/bench.py`). The",
        'archive is synthetic and deterministic: "Synthetic report 000042", 1 to 3 events each, regions',
        "drawn with a skewed distribution so that a few terms are huge, ranges and unreported figures.",
        "",
        "The plugin is built three times per round, with its defaults (`workers: auto`, the cache in",
        "`.cache/conflict-archive/`, Material's search plugin given the archive's pages, as plain",
        "MkDocs has it): **cold**, its cache deleted first, as a first build or CI without",
        "a kept cache; then **warm**, right after, with one article's body edited in between (a",
        "different article each round), as the next build of a working copy; then **warm-fm**, with",
        "another article's front-matter edited (its summary), which the archive's own pages show:",
        "its box, the rows that list it, the footers that link it. Plain MkDocs has no cache and",
        "does the same work every time.",
        "",
        f"![Build time by archive size]({page.with_suffix('.svg').name})",
        "",
        *_main_table(results),
        "",
        *_rounds(results),
        "",
        *_targets(results, serve),
    ]
    if serve:
        lines += ["", *_serve_section(serve)]
    lines += ["", *_search_section(results, queries or {})]
    lines += [
        "",
        "How to read it: each round builds every size and variant once, one after the other. The",
        "machines are shared and their speed drifts by a third within minutes, so the tables show the",
        "median round, and every ratio (time x plain, growth) is the median over the rounds of the",
        "ratio within a round, where both builds ran under the same conditions. The fastest run of",
        "each variant, taken from different rounds, would compare a quiet minute with a busy one.",
        "The sites are generated and built in memory (/dev/shm) where the machine has it, plain and",
        "plugin alike: this machine's disk swings several-fold in speed within minutes, which would",
        "drown the comparison (`--workdir` builds elsewhere).",
        "CPU seconds are user plus system time of the build and of its worker processes: the plugin",
        "starts those as fresh interpreters (`python -m`) and waits for them, so the operating system",
        "adds their time to the build's (`os.wait4`). Where CPU seconds exceed seconds, a second core",
        "did part of the work. Peak RSS is that of the build and its worker processes together,",
        "sampled every tenth of a second (and never less than the largest single process's own",
        "peak, which the operating system reports). Reproduce with `make bench` (1,000 with the",
        "blog plugin, 2,500 and 10,000, five rounds; about 20 minutes on two cores), or",
        "`.venv/bin/python scripts/bench.py --sizes 1000 --compare-blog 1000` for a quick look.",
        "",
    ]
    # Measurements made apart (a feature's cost, paired against the commit before it) are
    # written by hand below the marker; a new run keeps them.
    earlier = page.read_text(encoding="utf-8") if page.exists() else ""
    if KEPT_APART in earlier:
        lines.append(earlier[earlier.index(KEPT_APART) :].rstrip("\n") + "\n")
    page.write_text("\n".join(lines), encoding="utf-8")
    page.with_suffix(".svg").write_text(_svg_chart(results), encoding="utf-8")


def _search_section(results: list[Result], queries: dict[int, dict[str, Any]]) -> list[str]:
    """The `search` builds (median round) and a typical query's transfer."""
    sizes = sorted({r.size for r in results if r.variant == "search"})
    if not sizes:
        return []
    lines = [
        "## Search",
        "",
        "The **search** variant is the cold build again with the archive's own search",
        "(`search: pagefind`, in place of Material's search plugin): one Pagefind record per",
        "article and per event, with filters, made in Pagefind's own process while MkDocs builds",
        "the pages. The plugin's default, measured above, hands the archive to Material's search",
        "plugin (`search/search_index.json`, which every reader downloads whole before a first",
        "result), as plain MkDocs has it. A typical query is the search page opened at",
        f"`{TYPICAL_QUERY}` (one word, one filter) in chromium, with the filter panels nobody has",
        "opened closed; its bytes are those of the index's files it fetched (the page, its theme",
        "and the search script aside), of which Pagefind's own code (its script, worker and",
        "WebAssembly, fetched once a visit and the same at any size), then of everything; then",
        f"what the visit's next query (`{NEXT_WORD}` in place of `shelling`) fetches besides; as",
        "files, before any compression a web server adds.",
        "",
        "| N | seconds | x plain | x cold | peak RSS MB | x plain | index time s | build waited s "
        "| index MB | index files | query: index KB (requests) | of which code KB | query: all KB "
        "| next query KB |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for size in sizes:
        built, plain = typical(results, size, "search"), typical(results, size, "plain")
        query = queries.get(size, {})
        measured = (
            f"{query['index_kb']:,.0f} ({query['index_requests']}) | "
            f"{query['code_kb']:,.0f} | {query['all_kb']:,.0f} | {query['next_kb']:,.0f}"
            if query and "next_kb" in query
            else " |  |  | "
        )
        lines.append(
            f"| {size:,} | {built.seconds:.1f} | {paired_ratio(results, size, 'search'):.2f} "
            f"| {paired_ratio(results, size, 'search', 'cold'):.2f} | {built.peak_rss_mb:,.0f} "
            f"| {built.peak_rss_mb / plain.peak_rss_mb:.2f} | {built.search_seconds:.1f} "
            f"| {built.search_wait_seconds:.1f} | {built.index_mb:,.0f} | {built.index_files:,} "
            f"| {measured} |"
        )
    big = sizes[-1]
    query = queries.get(big) or {}
    transferred = float(query.get("index_kb", 0.0))
    added = paired_ratio(results, big, "search") - paired_ratio(results, big, "cold")
    memory = typical(results, big, "search").peak_rss_mb / typical(results, big, "plain").peak_rss_mb
    checks = [(f"typical query at {big:,}, KB", transferred, 300.0)]
    if "code_kb" in query:  # for reference: what the query fetched of the index's data alone
        checks.append(
            ("of which the index's data, Pagefind's code aside, KB", transferred - query["code_kb"], 0.0)
        )
    checks += [
        (f"indexing adds to plain MkDocs' build time at {big:,}", added, 0.25),
        (f"peak memory with the indexer at {big:,} vs plain", memory, 2.0),
    ]
    lines += ["", "| target (issue 12) | measured | limit | met |", "|---|--:|--:|---|"]
    return lines + [_check_row(name, value, limit, ",.2f") for name, value, limit in checks]


def _main_table(results: list[Result]) -> list[str]:
    """The median round of every size and variant, with its time and memory against plain's."""
    lines = [
        "| N | variant | seconds | CPU seconds | peak RSS MB | site MB | largest page KB | pages "
        "| time x plain | memory x plain |",
        "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    has_plain = {r.size for r in results if r.variant == "plain"}
    for r in _typical_runs(results):
        base = typical(results, r.size, "plain") if r.size in has_plain else None
        time_ratio = f"{paired_ratio(results, r.size, r.variant):.2f}" if base else "-"
        memory_ratio = f"{r.peak_rss_mb / base.peak_rss_mb:.2f}" if base else "-"
        cells = [
            f"{r.size:,}",
            r.variant,
            f"{r.seconds:.1f}",
            f"{r.cpu_seconds:.1f}",
            f"{r.peak_rss_mb:.0f}",
            f"{r.output_mb:.0f}",
            f"{r.largest_page_kb:.0f}",
            f"{r.pages:,}",
            time_ratio,
            memory_ratio,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _serve_section(serve: Serve) -> list[str]:
    rebuilds = serve.get("rebuilds", [])
    each = ", ".join(f"{r['plugin'] / r['plain']:.2f}" for r in rebuilds)
    cpu = (
        f" CPU time: {serve['plain_cpu']:.1f} s and {serve['plugin_cpu']:.1f} s."
        if "plugin_cpu" in serve
        else ""
    )
    return [
        "## Rebuild in `mkdocs serve`",
        "",
        f"After editing one of {serve['size']:,.0f} articles, a `mkdocs serve` rebuild took "
        f"{serve['plain']:.1f} s for plain MkDocs and {serve['plugin']:.1f} s with the plugin "
        f"({serve['ratio']:.2f}x, the median of {len(rebuilds)} paired rebuilds: {each}).{cpu}",
        "Each pair runs in fresh processes: one first build as serve starts it (the plugin's cache",
        "deleted before it), one article's body edited, then the rebuild, timed. MkDocs rebuilds",
        "every page on every change. The plugin keeps in memory between rebuilds the articles it",
        "validated and the HTML it used (summary boxes, search text, footers, listing pages,",
        "sanitized bodies), and all of it in its cache on disk, each under a key made of what it",
        "shows (an article's path and bytes; for a footer, the articles it links; for a listing page,",
        "its rows and totals) and of the vocabularies, templates, URLs and the plugin's code: only",
        "what an edit changes is done again, and no page is ever stale. Serve runs its live-reload",
        "server in a thread, so the",
        "rebuild is timed with a thread running too; worker processes are fresh interpreters, never",
        "forks, so they are used there as in `mkdocs build`.",
    ]


def _rounds(results: list[Result]) -> list[str]:
    """Every round's times and ratios, so the spread behind the medians is on the page."""
    lines = [
        "## Every round",
        "",
        "| round | N | plain s | cold s | warm s | warm-fm s | cold x plain | warm x plain "
        "| warm-fm x plain | other |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for round_, size in dict.fromkeys(sorted((r.round, r.size) for r in results)):
        built = {r.variant: r for r in results if r.round == round_ and r.size == size}
        cells = [str(round_ + 1), f"{size:,}", *_round_cells(built)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _round_cells(built: dict[str, Result]) -> list[str]:
    """One round at one size (variant -> its build): seconds, ratios to plain, the others."""
    plain = built.get("plain")
    seconds = [f"{built[v].seconds:.1f}" if v in built else "-" for v in VARIANTS]
    ratios = [
        f"{built[v].seconds / plain.seconds:.2f}" if plain and v in built else "-" for v in ("cold", *WARM)
    ]
    others = [f"{r.variant} {r.seconds:.1f} s" for r in built.values() if r.variant not in VARIANTS]
    return [*seconds, *ratios, ", ".join(others)]


def _print_table(results: list[Result]) -> None:
    header = ("N", "variant", "seconds", "CPU s", "peak MB", "site MB", "largest KB", "pages", "x plain")
    print(" ".join(f"{h:>10}" for h in header))
    has_plain = {r.size for r in results if r.variant == "plain"}
    for r in _typical_runs(results):
        ratio = f"{paired_ratio(results, r.size, r.variant):.2f}" if r.size in has_plain else "-"
        cells = (
            f"{r.size:,}",
            r.variant,
            f"{r.seconds:.2f}",
            f"{r.cpu_seconds:.2f}",
            f"{r.peak_rss_mb:.1f}",
            f"{r.output_mb:.1f}",
            f"{r.largest_page_kb:.1f}",
            f"{r.pages:,}",
            ratio,
        )
        print(" ".join(f"{c:>10}" for c in cells))


if __name__ == "__main__":
    sys.exit(main())
