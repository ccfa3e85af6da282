"""What the browser tests need beside Python packages: Debian's chromium and axe-core.

`make test` runs this first. Chromium comes from Debian's packages (never a test tool's own
browser download); it is installed with apt-get when missing and this runs as root, else the
message says how. axe-core comes from the npm registry as its published tarball, checked
against the integrity hash the registry states for that version, so no Node.js is needed.

    python scripts/browser_deps.py .venv
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
# `npm view axe-core@4.14.1 dist.integrity`
AXE_INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
CHROMIUM = Path("/usr/bin/chromium")


def axe_core(venv: Path) -> Path:
    target = venv / f"axe-core-{AXE_VERSION}" / "axe.min.js"
    if target.is_file():
        return target
    with urllib.request.urlopen(AXE_TARBALL, timeout=120) as response:
        tarball = response.read()
    found = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if found != AXE_INTEGRITY:
        raise SystemExit(f"axe-core {AXE_VERSION}: the tarball's hash is {found}, not {AXE_INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        script = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(script)
    return target


def chromium() -> None:
    if CHROMIUM.is_file() or shutil.which("chromium"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("The browser tests need Debian's chromium: sudo apt-get install chromium")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=environment)


def main() -> int:
    venv = Path(sys.argv[1] if len(sys.argv) > 1 else ".venv")
    chromium()
    print(axe_core(venv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
