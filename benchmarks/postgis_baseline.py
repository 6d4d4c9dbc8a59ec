"""PostGIS baseline for the distance benchmark (issue #2).

``run_postgis`` starts a throw-away PostgreSQL 15 + PostGIS 3 server on
127.0.0.1 (a fresh cluster in a temporary directory, stopped and deleted
afterwards), loads a border as one ``geography`` LINESTRING and the points as a
table of ``geography`` points, and times, inside the server (``EXPLAIN ANALYZE``
and ``clock_timestamp()``, so no client transfer is counted)::

    SELECT ST_Distance(p.g, b.g) FROM pts p, border b            -- spheroid
    SELECT count(*) FROM pts p, border b WHERE ST_DWithin(p.g, b.g, r)

with the server's default settings (parallel workers included, as a user gets
them).  It also fetches the ``ST_Distance`` values of the first
``min(n, 100000)`` points (``COPY ... TO STDOUT``) so that the caller can
measure PostGIS's error.  Coordinates are (lon, lat) degrees WGS84, distances
meters.

Where PostgreSQL/PostGIS is missing it is installed with
``apt-get install -y postgresql-15-postgis-3`` (Debian; only as root and with
``install=True``).  Anything that goes wrong is reported in one line through
``log`` and the function returns ``None``: it never fails its caller and never
leaves a server or files behind.

Usage: ``python benchmarks/postgis_baseline.py [--n 1000000] [--no-install]``
"""

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
APT_PACKAGE = "postgresql-15-postgis-3"
N_ERROR = 100_000  # points whose ST_Distance values are fetched
N_SUBSAMPLE = 200_000  # points timed when the whole set would take too long
N_PILOT = 20_000  # points of the pilot run that estimates the full run's time
BUDGET_S = 120.0  # per query


class _Skip(Exception):
    """PostGIS cannot be run here (the message says why)."""


def _installed() -> bool:
    return (
        all((PG_BIN / exe).exists() for exe in ("initdb", "pg_ctl", "postgres", "psql"))
        and POSTGIS_CONTROL.exists()
    )


def _ensure_postgis(install: bool, log) -> float:
    """Install PostgreSQL + PostGIS if needed and allowed; seconds spent installing."""
    if _installed():
        return 0.0
    if not install:
        raise _Skip(f"{APT_PACKAGE} is not installed (and install=False)")
    if os.geteuid() != 0:
        raise _Skip(f"{APT_PACKAGE} is not installed and we are not root to install it")
    if shutil.which("apt-get") is None:
        raise _Skip(f"{APT_PACKAGE} is not installed and there is no apt-get")
    log(f"installing {APT_PACKAGE} with apt-get ...")
    t0 = time.perf_counter()
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", APT_PACKAGE]
    if subprocess.run(cmd, env=env, capture_output=True, timeout=900).returncode:
        # stale package lists: refresh once and retry
        subprocess.run(
            ["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600
        )
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if r.returncode:
            last = (r.stderr.strip().splitlines() or ["?"])[-1]
            raise _Skip(f"apt-get install {APT_PACKAGE} failed: {last}")
    if not _installed():
        raise _Skip(f"{APT_PACKAGE} installed but {PG_BIN} or postgis.control missing")
    return time.perf_counter() - t0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """A throw-away cluster in a temporary directory, owned by a non-root user."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="geoconflict-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.started = False
        self.as_user = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise _Skip("running as root and there is no 'postgres' user") from None
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, args, timeout=120):
        r = subprocess.run(
            self.as_user + args, capture_output=True, text=True, timeout=timeout
        )
        if r.returncode:
            msg = (r.stderr.strip() or r.stdout.strip()).splitlines() or ["?"]
            raise RuntimeError(f"{Path(args[0]).name} failed: {msg[-1]}")
        return r.stdout

    def start(self):
        self._run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        opts = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            "-c unix_socket_directories='' -c fsync=off"
        )
        self.started = True  # from here on, always try to stop it
        self._run(
            [
                str(PG_BIN / "pg_ctl"),
                "start",
                "-D",
                str(self.data),
                "-w",
                "-t",
                "60",
                "-l",
                str(self.dir / "server.log"),
                "-o",
                opts,
            ]
        )

    def psql(self, script, data=None, timeout=900):
        """Run `script` through the psql CLI; `data` (str) feeds its COPY FROM STDIN."""
        cmd = [str(PG_BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        cmd += ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        cmd += ["-d", "postgres", "-f", "-"]
        if data is not None:  # COPY data follows its command in the script
            script = f"{script}\n{data}\\.\n"
        r = subprocess.run(
            cmd, input=script, capture_output=True, text=True, timeout=timeout
        )
        if r.returncode:
            lines = r.stderr.strip().splitlines() or ["?"]
            msg = [ln for ln in lines if "ERROR" in ln or "FATAL" in ln] or lines
            raise RuntimeError(f"psql failed: {msg[0].strip()}")
        return r.stdout

    def stop(self):
        if self.started and (self.data / "postmaster.pid").exists():
            ctl = [str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-w"]
            for mode in ("fast", "immediate"):
                try:
                    self._run([*ctl, "-m", mode, "-t", "30"], timeout=60)
                    break
                except Exception:  # try the harder mode, then kill
                    continue
            else:
                self._kill_postmaster()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _kill_postmaster(self):
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)  # the postmaster that this object started
        except Exception:
            pass


def _explain_seconds(srv, query):
    """Execution time (s) of `query` measured in the server, and parallel workers."""
    out = srv.psql(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {query}")
    plan = json.loads(out)[0]
    workers = []

    def walk(node):
        if "Workers Launched" in node:
            workers.append(node["Workers Launched"])
        for sub in node.get("Plans", []):
            walk(sub)

    walk(plan["Plan"])
    return plan["Execution Time"] / 1e3, max(workers, default=0)


def _count_seconds(srv, query):
    """`query` returns one count; its value and time (s) between server clocks."""
    out = srv.psql(
        "SELECT clock_timestamp() AS t0 \\gset\n"
        f"{query} \\gset c_\n"
        "SELECT :c_count, extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);"
    )
    c, dt = out.strip().split("|")
    return int(c), float(dt)


def _time_budgeted(srv, n, measure, log, what):
    """Run `measure(table)` on all points, or on the first N_SUBSAMPLE if too long."""
    table = "pts"
    if n > N_SUBSAMPLE:
        secs = measure(f"(SELECT g FROM pts WHERE id < {N_PILOT})")[0]
        if secs * n / N_PILOT > BUDGET_S:
            log(
                f"PostGIS {what}: about {secs * n / N_PILOT:.0f} s for {n:,} points; "
                f"timing the first {N_SUBSAMPLE:,}"
            )
            table = f"(SELECT g FROM pts WHERE id < {N_SUBSAMPLE})"
            n = N_SUBSAMPLE
    return (*measure(table), n)


def run_postgis(border_lonlat, lon, lat, radius_m=50_000, *, install=True, log=print):
    """Time PostGIS ``ST_Distance``/``ST_DWithin`` on geography; None if impossible.

    Parameters
    ----------
    border_lonlat : ndarray, shape (m, 2)
        The border's vertices, (lon, lat) degrees WGS84.
    lon, lat : ndarray, shape (n,)
        The points, degrees WGS84.
    radius_m : float
        The ``ST_DWithin`` radius, meters.
    install : bool
        Install ``postgresql-15-postgis-3`` with apt-get if missing (root only).
    log : callable
        Receives one-line messages (progress, or why PostGIS could not run).

    Returns
    -------
    dict or None
        ``st_distance_pts_per_s``, ``st_dwithin_pts_per_s`` (points per second,
        measured inside the server), ``n``, ``n_timed`` (points ST_Distance was
        timed on), ``n_timed_dwithin``, ``n_within`` (ST_DWithin count over
        ``n_timed_dwithin`` points), ``workers`` (parallel workers launched),
        ``distances`` (ST_Distance in meters of the first min(n, 100000) points),
        ``postgis_version``, ``postgres_version``, ``install_s``, ``load_s`` and
        ``total_s`` (seconds); None, with the reason logged, when PostGIS cannot run.
    """
    t_start = time.perf_counter()
    srv = None
    try:
        border = np.asarray(border_lonlat, dtype=float)
        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
        n = len(lon)
        if border.ndim != 2 or border.shape[1] != 2 or len(border) < 2:
            raise ValueError(f"border_lonlat must be (m >= 2, 2), got {border.shape}")
        if len(lat) != n or n == 0:
            raise ValueError(f"lon/lat: {n} and {len(lat)} values")
        t_install = _ensure_postgis(install, log)
        srv = _Server()
        srv.start()
        srv.psql("CREATE EXTENSION postgis")
        version = srv.psql("SELECT postgis_lib_version()").strip()
        pg_version = srv.psql("SHOW server_version").strip()

        t0 = time.perf_counter()
        wkt = ",".join(f"{x:.17g} {y:.17g}" for x, y in border)
        srv.psql(
            "CREATE TABLE border (g geography(LineString, 4326));"
            f"INSERT INTO border VALUES ('SRID=4326;LINESTRING({wkt})');"
        )
        rows = np.column_stack([np.arange(n), lon, lat])
        text = "\n".join(
            f"{int(i)}\t{x!r}\t{y!r}" for i, x, y in rows.tolist()
        )  # repr: exact round trip
        srv.psql(
            "CREATE UNLOGGED TABLE raw (id int, lon float8, lat float8);\n"
            "COPY raw FROM STDIN;",
            text + "\n",
        )
        srv.psql(
            "CREATE TABLE pts AS SELECT id, "
            "ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography(Point, 4326) AS g "
            "FROM raw ORDER BY id; DROP TABLE raw;"
            "ALTER TABLE pts ADD PRIMARY KEY (id);"
            "CREATE INDEX pts_g ON pts USING gist (g); VACUUM ANALYZE pts;"
            "VACUUM ANALYZE border;"
        )
        t_load = time.perf_counter() - t0

        def dist(table):
            return _explain_seconds(
                srv, f"SELECT ST_Distance(p.g, b.g) FROM {table} p, border b"
            )

        def dwithin(table):
            c, dt = _count_seconds(
                srv,
                f"SELECT count(*) FROM {table} p, border b "
                f"WHERE ST_DWithin(p.g, b.g, {float(radius_m)!r})",
            )
            return dt, c

        t_d, workers, n_d = _time_budgeted(srv, n, dist, log, "ST_Distance")
        t_w, n_within, n_w = _time_budgeted(srv, n, dwithin, log, "ST_DWithin")

        k = min(n, N_ERROR)
        out = srv.psql(
            "COPY (SELECT ST_Distance(p.g, b.g) FROM pts p, border b "
            f"WHERE p.id < {k} ORDER BY p.id) TO STDOUT"
        )
        distances = np.array(out.split(), dtype=float)
        if len(distances) != k:
            raise RuntimeError(f"fetched {len(distances)} distances, expected {k}")
        return {
            "st_distance_pts_per_s": n_d / t_d,
            "st_dwithin_pts_per_s": n_w / t_w,
            "distances": distances,
            "n": n,
            "n_timed": n_d,
            "n_timed_dwithin": n_w,
            "n_within": n_within,
            "workers": workers,
            "postgis_version": version,
            "postgres_version": pg_version,
            "install_s": t_install,
            "load_s": t_load,
            "total_s": time.perf_counter() - t_start,
        }
    except Exception as exc:  # never fail the caller
        log(f"PostGIS baseline skipped: {exc}".splitlines()[0])
        return None
    finally:
        if srv is not None:
            try:
                srv.stop()
            except Exception as exc:
                log(f"PostGIS baseline: cleanup failed: {exc}".splitlines()[0])


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000, help="number of points")
    ap.add_argument("--radius", type=float, default=50_000, help="ST_DWithin radius, m")
    ap.add_argument("--no-install", action="store_true", help="never run apt-get")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).parent))
    from _border import iraq_syria_like, random_points

    import geoconflict as gc

    border = iraq_syria_like(2000)
    lon, lat = random_points(args.n)
    print(f"border: 2,000 vertices; points: {args.n:,}")
    res = run_postgis(
        np.asarray(border.coords), lon, lat, args.radius, install=not args.no_install
    )
    if res is None:
        return 0
    print(
        f"PostGIS {res['postgis_version']} on PostgreSQL {res['postgres_version']} "
        f"(parallel workers launched: {res['workers']}); install {res['install_s']:.1f} s, "
        f"load {res['load_s']:.1f} s, total {res['total_s']:.1f} s"
    )
    print(
        f"ST_Distance(geography)       {res['st_distance_pts_per_s']:12,.0f} points/s"
        f"  (timed on {res['n_timed']:,} points)"
    )
    print(
        f"ST_DWithin(geography, {args.radius:,.0f})"
        f" {res['st_dwithin_pts_per_s']:12,.0f} points/s"
        f"  (timed on {res['n_timed_dwithin']:,} points, {res['n_within']:,} within)"
    )
    k = len(res["distances"])
    exact = gc.distance_to(lon[:k], lat[:k], border)
    err = np.abs(res["distances"] - exact)
    print(
        f"ST_Distance error vs geoconflict.distance_to ({k:,} points): "
        f"max {err.max():.3f} m, median {np.median(err):.3f} m, "
        f"{np.count_nonzero(err > 1):,} over 1 m"
    )
    near = exact <= args.radius
    if near.any():
        print(
            f"  within {args.radius / 1e3:g} km of the border ({near.sum():,} points): "
            f"max {err[near].max():.3f} m, median {np.median(err[near]):.3f} m"
        )
    m = res["n_timed_dwithin"]
    w = gc.within_distance(lon[:m], lat[:m], border, args.radius)
    print(
        f"ST_DWithin count {res['n_within']:,} vs geoconflict.within_distance "
        f"{int(np.count_nonzero(w)):,}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
