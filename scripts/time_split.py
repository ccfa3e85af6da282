"""Where a build's time goes: the plugin's own hooks against MkDocs' and Material's own work.

`make bench` compares whole builds. This splits one: it times every event handler of the
conflict-archive plugin and counts the rest of the build's wall time as MkDocs' and Material's
(converting Markdown, putting every page through the theme, the search plugin, writing files).
Set beside plain MkDocs' build of the same bodies, MkDocs' own work on the archive's site is a
floor that no work of the plugin's can lower: the archive publishes more pages than its
articles (indexes, terms, months), and its pages show more than the bodies.

The archive is `make bench`'s synthetic one. `--serve` times a `mkdocs serve` rebuild after
one body edit (as `make bench --serve` does), else a warm build after one body edit (its
cache filled by a build just before). Each build runs in a fresh process; rounds alternate
plain and plugin, and the figures are medians.

    python scripts/time_split.py --size 10000 --rounds 3
    python scripts/time_split.py --size 2500 --rounds 3 --serve
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import bench

# In a fresh process: build (serve: a first build as serve starts it, then one body edit),
# then the timed build with each of the plugin's handlers wrapped in a timer.
_TIMED_BUILD = """
import functools, json, sys, threading, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

mode, config_file, article = sys.argv[1], sys.argv[2], Path(sys.argv[3])
if mode == "serve":
    threading.Thread(target=threading.Event().wait, daemon=True).start()  # the server's stand-in
    config = load_config(config_file)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
article.write_text(article.read_text(encoding="utf-8") + "\\nSynthetic edit.\\n", encoding="utf-8")
hooks = [0.0]

def timed(handler):
    @functools.wraps(handler)
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return handler(*args, **kwargs)
        finally:
            hooks[0] += time.perf_counter() - started
    return run

config = load_config(config_file)
for event, handlers in config.plugins.events.items():
    handlers[:] = [
        timed(h) if type(getattr(h, "__self__", None)).__name__ == "ConflictArchivePlugin" else h
        for h in handlers
    ]
started = time.perf_counter()
build(config)
print(json.dumps({"seconds": time.perf_counter() - started, "hooks": hooks[0]}))
"""


def timed_build(site: Path, article: Path, serve: bool) -> dict[str, float]:
    mode = "serve" if serve else "build"
    output = subprocess.run(
        [sys.executable, "-c", _TIMED_BUILD, mode, str(site / "mkdocs.yml"), str(article)],
        env={**os.environ, **bench.BUILD_ENV},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help="time a `mkdocs serve` rebuild")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="time-split-", dir=bench.ram_folder()))
    try:
        bench.generate(work, args.size)
        article = bench.article_paths(work, args.size // 2)
        plain, plugin = [], []
        for round_ in range(args.rounds):
            plain.append(timed_build(work / "plain", article["plain"], args.serve))
            if args.serve:
                bench.empty_cache(work / "plugin")  # serve's first build fills it, as `make bench`
            elif round_ == 0:
                bench.build(work / "plugin", args.size, "cold")  # fills the cache
            plugin.append(timed_build(work / "plugin", article["plugin"], args.serve))
            print(json.dumps({"round": round_, "plain": plain[-1], "plugin": plugin[-1]}), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    plain_s = statistics.median(r["seconds"] for r in plain)
    plugin_s = statistics.median(r["seconds"] for r in plugin)
    hooks_s = statistics.median(r["hooks"] for r in plugin)
    own_s = statistics.median(r["seconds"] - r["hooks"] for r in plugin)
    what = "serve rebuild" if args.serve else "warm build"
    print(f"{args.size:,} articles, {what}, medians of {args.rounds} rounds:")
    print(f"  plain MkDocs                      {plain_s:6.2f} s")
    print(f"  with the plugin                   {plugin_s:6.2f} s  {plugin_s / plain_s:.2f}x plain")
    print(f"    of which the plugin's hooks     {hooks_s:6.2f} s")
    print(f"    of which MkDocs' and Material's {own_s:6.2f} s  {own_s / plain_s:.2f}x plain")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
