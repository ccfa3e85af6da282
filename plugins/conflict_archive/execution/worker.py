"""The worker process: `python -m conflict_archive.execution.worker JOB_FILE` (see workers.py).

Runs the pickled `(function, argument)` in JOB_FILE. A failure's traceback goes to stderr,
which the build reports, and the exit status is not 0.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    (job_file,) = argv
    function, argument = pickle.loads(Path(job_file).read_bytes())
    function(argument)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
