"""Build dist/geoconflict_qgis-<version>.zip, the installable QGIS plugin.

The plugin ships the core as it is built for PyPI: ``pip wheel . --no-deps`` builds
the geoconflict wheel (with data/boundaries force-included by hatch), and the wheel
is unpacked into ``geoconflict_qgis/ext-libs/``.  Nothing is copied by hand.
metadata.txt gets the package version and a changelog taken from CHANGELOG.md.

Usage: python scripts/build_plugin.py [--out dist]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "geoconflict_qgis"


def version() -> str:
    text = (ROOT / "geoconflict" / "_version.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def changelog_lines(limit: int = 30) -> list[str]:
    """Bullet lines of the newest CHANGELOG.md section that mention the plugin first."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    if not sections:
        return []
    head, *body = sections[0].splitlines()
    bullets: list[str] = []
    for ln in body:
        if ln.startswith("- "):
            bullets.append(ln[2:].strip())
        elif ln.startswith("  ") and bullets:
            bullets[-1] += " " + ln.strip()
    bullets.sort(key=lambda b: "qgis" not in b.lower() and "plugin" not in b.lower())
    return [head.strip("[] "), *bullets[:limit]]


def build_wheel(workdir: Path) -> Path:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        str(ROOT),
        "--no-deps",
        "-q",
        "-w",
        str(workdir),
    ]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.append("--no-build-isolation")
    subprocess.run(cmd, check=True)
    wheels = sorted(workdir.glob("geoconflict-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {workdir}, found {wheels}")
    return wheels[0]


def main(argv=None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist"))
    args = parser.parse_args(argv)
    ver = version()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gc-plugin-") as tmp:
        tmp = Path(tmp)
        wheel = build_wheel(tmp / "wheel")
        stage = tmp / NAME
        shutil.copytree(
            ROOT / "qgis_plugin",
            stage,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "ext-libs"),
        )
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(stage / "ext-libs")
        if not (stage / "ext-libs" / "geoconflict" / "__init__.py").exists():
            raise SystemExit(f"{wheel.name} does not contain the geoconflict package")
        shutil.copy(ROOT / "LICENSE", stage / "LICENSE")
        meta = (stage / "metadata.txt").read_text(encoding="utf-8")
        meta = re.sub(r"^version=.*$", f"version={ver}", meta, flags=re.M)
        lines = changelog_lines()
        if lines:
            block = "changelog=\n" + "\n".join(
                f"    {ln}" if i == 0 else f"    - {ln}" for i, ln in enumerate(lines)
            )
            meta = re.sub(  # a function: backslashes in the text stay as they are
                r"^changelog=\n(?:[ \t]+.*\n?)*",
                lambda _m: block + "\n",
                meta,
                flags=re.M,
            )
        (stage / "metadata.txt").write_text(meta, encoding="utf-8")
        target = out_dir / f"{NAME}-{ver}.zip"
        if target.exists():
            target.unlink()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(stage.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(tmp).as_posix())
    print(target)
    return target


if __name__ == "__main__":
    main()
