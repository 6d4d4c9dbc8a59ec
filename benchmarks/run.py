"""Run every ``benchmarks/bench_*.py`` script in turn (``make bench``).

Each script builds its data in the same run and prints its throughput and the
ratio against the baselines named in its issue.  ``--quick`` is passed on to the
scripts that accept it (smaller inputs, for a smoke run).
"""

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    quick = "--quick" in sys.argv
    status = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        cmd = [sys.executable, str(script)]
        if quick and "--quick" in script.read_text():
            cmd.append("--quick")
        status |= subprocess.call(cmd)
    return status


if __name__ == "__main__":
    sys.exit(main())
