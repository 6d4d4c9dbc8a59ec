"""Build examples/al-bukamal-2019-2021.geojson from the two seed reports.

Every event in the two reports of ``shared/seeds/`` (see docs/events.md) is encoded
with each claim tied to its source, quoting only a brief verbatim phrase and
crediting the outlet.  Locations come from the gazetteer with honest precision:
town level unless a source gives more; a site whose place the text does not name
gets no point (country or province only).

Gazetteer coordinates (lon, lat; degrees WGS84):
- Abu Kamal 40.91854 E 34.45226 N (GeoNames 174448) and Al Qa'im 40.98945 E
  34.39251 N (GeoNames 92138), as given in issue #6;
- Damascus, Beirut and Al Qunaytirah from Natural Earth 10m populated places v4.0.0
  (public domain; their GEONAMEID attribute gives the GeoNames id);
- the al-Tanf garrison: approximate position from public reporting (as in
  geoconflict/demo.py), with a 5 km radius.

Run: ``python scripts/build_example_events.py`` (writes the file, prints a summary).
"""

from __future__ import annotations

from pathlib import Path

from geoconflict.events.claims import (
    AttributionClaim,
    CasualtyClaim,
    DamageClaim,
    Source,
    TargetClaim,
    WeaponClaim,
)
from geoconflict.events.eventset import EventSet
from geoconflict.events.model import Category, Event, TimeEstimate
from geoconflict.events.phrases import parse_distance_phrase
from geoconflict.events.sites import Location, Site
from geoconflict.io.events import write_events

OUT = Path(__file__).resolve().parents[1] / "examples" / "al-bukamal-2019-2021.geojson"

R2019 = "ea-worldview-2019-09"
R2021 = "tasnim-2021-09"

SOURCES = [
    Source(
        R2019,
        "EA WorldView, news analysis of 9–10 September 2019",
        kind="news",
        published="2019-09-10",
        note=(
            "Seed report report-2019-09-al-bukamal-imam-ali.txt. The outlet is not "
            "named in the text; it is identified from its 'Syria Daily' / 'Iran "
            "Daily' cross-references (EA WorldView's daily series)."
        ),
    ),
    Source(
        "ap",
        "AP (photo caption reproduced in the 2019 report)",
        kind="news",
        published="2019-08-25",
    ),
    Source("local-activists", "Local activists (eastern Syria)", kind="local_sources"),
    Source(
        "pmf-official-syria",
        "A PMF official in Syria",
        kind="armed_group",
        affiliation="Popular Mobilization Forces (PMF)",
    ),
    Source(
        "syrian-government-official",
        'A Syrian government ("Assad regime") official',
        kind="government_official",
        affiliation="Government of Syria",
    ),
    Source("idf", "Israel Defense Forces", kind="military", affiliation="Israel"),
    Source(
        "centcom",
        "US Central Command",
        kind="military",
        affiliation="United States",
    ),
    Source(
        "israeli-intelligence-firm",
        "A private Israeli intelligence firm (not named)",
        kind="other",
    ),
    Source(
        "us-military", "The US military", kind="military", affiliation="United States"
    ),
    Source(
        "us-officials",
        "US officials (speaking to media outlets)",
        kind="government_official",
        affiliation="United States",
    ),
    Source("hezbollah", "Hezbollah", kind="armed_group", affiliation="Hezbollah"),
    Source("israeli-sources", "Israeli sources (not named)", kind="other"),
    Source(
        R2021,
        "Tasnim News Agency, 'PMU Convoy Attacked near Iraq-Syria Border'",
        kind="news",
        published="2021-09-15",
        note="Seed report report-2021-09-pmu-convoy-al-bukamal.txt (TEHRAN (Tasnim)).",
    ),
    Source(
        "sabereen",
        "Sabereen News (Telegram channel)",
        kind="social_media",
        affiliation="associated with the PMU (per Tasnim)",
    ),
    Source(
        "sana",
        "SANA (Syrian Arab News Agency)",
        kind="state_media",
        affiliation="Government of Syria",
    ),
    Source(
        "anbar-military-officials",
        "Military officials in Iraq's Anbar province (cited by SANA)",
        kind="military",
    ),
    Source("media-reports", "Media reports (unnamed, per Tasnim)", kind="news"),
    Source(
        "us-army-spokesperson",
        "US Army Col. Wayne Marotto (tweet)",
        kind="military",
        affiliation="United States",
        note="Spelled 'Morotto' in the Tasnim text.",
    ),
    Source(
        "pentagon-kirby",
        "Pentagon Press Secretary John Kirby",
        kind="government_official",
        affiliation="United States",
    ),
]

PV = "Political violence"
ERV = "Explosions/Remote violence"
AIR = Category(PV, ERV, "Air/drone strike")


def abu_kamal(precision="settlement", phrase=None):
    return Location(
        40.91854,
        34.45226,
        precision,
        phrase=phrase,
        method="gazetteer",
        place="Abu Kamal",
        place_id="geonames:174448",
        country="SYR",
        admin1="Deir ez-Zor",
    )


def al_qaim(precision="settlement", phrase=None):
    return Location(
        40.98945,
        34.39251,
        precision,
        phrase=phrase,
        method="gazetteer",
        place="Al Qa'im",
        place_id="geonames:92138",
        country="IRQ",
        admin1="Al Anbar",
    )


def build() -> EventSet:
    ev = []

    ev.append(
        Event(
            "2019-08-25-western-iraq-drone",
            TimeEstimate(
                "2019-08-25",
                precision="day",
                tz="Asia/Baghdad",
                phrase="August 25, 2019",
            ),
            [
                Site(
                    "t1",
                    Location(
                        precision="province",
                        phrase="in western Iraq near the Syria border",
                        method="gazetteer",
                        country="IRQ",
                        admin1="Al Anbar",
                    ),
                    role="target",
                    name="PMF position (burning truck)",
                    facility="vehicle",
                )
            ],
            [
                AttributionClaim(
                    "ap",
                    "Israel",
                    "accused",
                    via=R2019,
                    phrase="a drone attack, blamed on Israel",
                    note="passive voice: the caption does not say who blamed Israel",
                ),
                WeaponClaim("ap", platform="drone", via=R2019, phrase="a drone attack"),
                DamageClaim(
                    "ap", "truck", "burning", 1, via=R2019, phrase="a burning truck"
                ),
            ],
            category=AIR,
            summary="Drone attack on PMF personnel in western Iraq near the Syrian border.",
            tags=["2019-report", "photo-caption"],
            notes="Province inferred from 'western Iraq near the Syria border' (Anbar is Iraq's western border province); no point is given.",
        )
    )

    ev.append(
        Event(
            "2019-08-25-south-beirut-drone",
            TimeEstimate(
                "2019-08-25",
                precision="day",
                tz="Asia/Beirut",
                phrase="Just over two weeks ago",
            ),
            [
                Site(
                    "t1",
                    Location(
                        35.507762351377664,
                        33.8739209756269,
                        "near_settlement",
                        phrase="in south Beirut in Lebanon",
                        method="gazetteer",
                        place="Beirut",
                        place_id="geonames:276781",
                        country="LBN",
                    ),
                    role="target",
                    name="Hezbollah position",
                )
            ],
            [
                AttributionClaim(
                    R2019,
                    "Israel",
                    "accused",
                    phrase="an Israeli drone damaged a Hezbollah position",
                ),
                WeaponClaim(
                    R2019, platform="drone", platform_count=1, phrase="an Israeli drone"
                ),
                DamageClaim(R2019, "Hezbollah position", "damaged", 1),
                TargetClaim(
                    "hezbollah",
                    "media center",
                    via=R2019,
                    phrase="the site was a media center",
                ),
                TargetClaim(
                    "israeli-sources",
                    "linked to Hezbollah's missiles",
                    via=R2019,
                    phrase="linked to the Lebanese militia’s missiles",
                ),
            ],
            category=AIR,
            summary="Drone damages a Hezbollah position in south Beirut.",
            tags=["2019-report"],
            notes="Date from the report's 'just over two weeks ago' (report of 9–10 September 2019) and the seeds README (25 August 2019).",
        )
    )

    ev.append(
        Event(
            "2019-07-09-iraq-pmf-depots-series",
            TimeEstimate(
                "2019-07-15", "2019-09-11", precision="month", phrase="Since mid-July"
            ),
            [
                Site(
                    "t1",
                    Location(
                        precision="country",
                        phrase="PMF arms depots and training camps in Iraq",
                        method="gazetteer",
                        country="IRQ",
                    ),
                    role="target",
                    name="PMF arms depots and training camps",
                    facility="arms depot / training camp",
                )
            ],
            [
                AttributionClaim(
                    "us-officials",
                    "Israel",
                    "accused",
                    via=R2019,
                    phrase="the IDF was behind at least some strikes",
                    note="'at least some' of the strikes on Iran-linked sites in Iraq",
                ),
                AttributionClaim(
                    "us-military",
                    "United States",
                    "denied",
                    via=R2019,
                    phrase="publicly distanced itself from the explosions inside Iraq",
                ),
            ],
            category=Category(PV, ERV, None),
            summary="A series of attacks on PMF arms depots and training camps in Iraq since mid-July 2019.",
            tags=["2019-report", "series"],
        )
    )

    ev.append(
        Event(
            "2019-09-09-imam-ali-compound",
            TimeEstimate(
                "2019-09-09",
                precision="day",
                tz="Asia/Damascus",
                phrase="The pre-dawn attack",
            ),
            [
                Site(
                    "t1",
                    abu_kamal(phrase="the Imam Ali compound in the al-Bukamal region"),
                    role="target",
                    name="Imam Ali compound",
                    facility="military compound",
                ),
                Site(
                    "r1",
                    Location(
                        38.61778,
                        33.50583,
                        "near_settlement",
                        radius_m=5000.0,
                        phrase="the US base at Tanf near the Iraqi border",
                        method="gazetteer",
                        place="al-Tanf garrison (approximate, public reporting)",
                        country="SYR",
                    ),
                    role="reference",
                    name="US base at al-Tanf",
                    facility="military base",
                ),
            ],
            [
                parse_distance_phrase(
                    "about 3 km (2 miles) from the border",
                    source=R2019,
                    site="t1",
                    reference_id="border:IRQ-SYR",
                ),
                TargetClaim(
                    R2019,
                    "base used by the Popular Mobilization Force",
                    phrase="The base was used by the Popular Mobilization Force",
                ),
                CasualtyClaim(
                    "local-activists",
                    "killed",
                    21,
                    group="fighters",
                    via=R2019,
                    phrase="21 fighters were killed and 36 wounded",
                    note="including Iranian personnel and pro-Iranian militiamen",
                ),
                CasualtyClaim(
                    "local-activists",
                    "wounded",
                    36,
                    group="fighters",
                    via=R2019,
                    phrase="21 fighters were killed and 36 wounded",
                ),
                AttributionClaim(
                    "pmf-official-syria",
                    "Israel",
                    "accused",
                    via=R2019,
                    phrase="claimed Israeli warplanes fired four missiles",
                ),
                WeaponClaim(
                    "pmf-official-syria",
                    "missile",
                    4,
                    platform="warplanes (Israeli)",
                    via=R2019,
                    phrase="Israeli warplanes fired four missiles",
                ),
                TargetClaim(
                    "pmf-official-syria",
                    "a post manned by Iranian troops and Hezbollah fighters",
                    via=R2019,
                    phrase="a post manned by Iranian troops and fighters from Lebanon’s Hezbollah",
                ),
                AttributionClaim(
                    "syrian-government-official",
                    "Israel",
                    "accused",
                    via=R2019,
                    phrase="also blamed Israel",
                ),
                AttributionClaim(
                    "syrian-government-official",
                    "United States",
                    "accused",
                    via=R2019,
                    phrase="We hold the Americans and Israelis responsible",
                    note="claimed assistance for the warplanes from the US base at Tanf",
                ),
                TargetClaim(
                    "syrian-government-official",
                    "military camp",
                    occupied=False,
                    via=R2019,
                    phrase="the “military camp” was deserted",
                ),
                CasualtyClaim(
                    "syrian-government-official",
                    "killed",
                    0,
                    via=R2019,
                    phrase="there were no casualties",
                ),
                CasualtyClaim(
                    "syrian-government-official",
                    "wounded",
                    0,
                    via=R2019,
                    phrase="there were no casualties",
                ),
                AttributionClaim(
                    "idf",
                    "Israel",
                    "declined_to_comment",
                    via=R2019,
                    phrase="Neither the Israel Defense Forces nor US Central Command commented",
                ),
                AttributionClaim(
                    "centcom",
                    "United States",
                    "declined_to_comment",
                    via=R2019,
                    phrase="Neither the Israel Defense Forces nor US Central Command commented",
                ),
            ],
            category=AIR,
            summary="Pre-dawn strike on the Imam Ali compound in the al-Bukamal region, used by the PMF.",
            tags=["2019-report"],
            notes="Location known to town level only (the al-Bukamal region); the compound itself is not located by the sources.",
        )
    )

    ev.append(
        Event(
            "2019-09-09-rockets-toward-golan",
            TimeEstimate(
                "2019-09-09", precision="day", tz="Asia/Damascus", phrase="later Monday"
            ),
            [
                Site(
                    "l1",
                    Location(
                        36.29805003041707,
                        33.50197985420613,
                        "near_settlement",
                        phrase="positioned outside Damascus",
                        method="gazetteer",
                        place="Damascus",
                        place_id="geonames:170654",
                        country="SYR",
                    ),
                    role="launch",
                    name="Launch area outside Damascus",
                ),
                Site(
                    "i1",
                    Location(
                        precision="country",
                        phrase="landed short of their targets, inside Syrian territory",
                        method="gazetteer",
                        country="SYR",
                    ),
                    role="impact",
                    name="Impact area (inside Syria)",
                ),
                Site(
                    "g1",
                    Location(
                        35.82359085973127,
                        33.12566408185472,
                        "province",
                        phrase="toward the Israeli-occupied Golan Heights",
                        method="gazetteer",
                        place="Al Qunaytirah (Golan)",
                        place_id="geonames:173334",
                    ),
                    role="reference",
                    name="Golan Heights (direction of fire)",
                ),
            ],
            [
                AttributionClaim(
                    "idf",
                    "a Shia militia in Syria",
                    "accused",
                    via=R2019,
                    phrase="a Shia militia in Syria, positioned outside Damascus, fired rockets",
                ),
                WeaponClaim("idf", "rocket", via=R2019, phrase="fired rockets"),
            ],
            category=Category(PV, ERV, "Shelling/artillery/missile attack"),
            summary="Rockets fired from outside Damascus toward the Golan Heights land inside Syria, per the IDF.",
            tags=["2019-report"],
        )
    )

    ev.append(
        Event(
            "2019-09-10-anbar-storehouses",
            TimeEstimate(
                "2019-09-10", precision="day", tz="Asia/Baghdad", phrase="Early Tuesday"
            ),
            [
                Site(
                    "t1",
                    Location(
                        precision="province",
                        phrase="PMF storehouses in Anbar Province in western Iraq",
                        method="gazetteer",
                        country="IRQ",
                        admin1="Al Anbar",
                    ),
                    role="target",
                    name="PMF storehouses",
                    facility="storehouse",
                ),
            ],
            [
                parse_distance_phrase(
                    "about 200 km (125 miles) from al-Bukamal",
                    source=R2019,
                    site="t1",
                    reference_id="place:Abu Kamal",
                ),
                DamageClaim(
                    "israeli-intelligence-firm",
                    "storehouses",
                    "destroyed",
                    8,
                    qualifier="at least",
                    via=R2019,
                    phrase="at least eight storehouses were destroyed",
                ),
            ],
            category=Category(PV, ERV, None),
            summary="Explosions at PMF storehouses in Anbar Province.",
            tags=["2019-report"],
        )
    )

    ev.append(
        Event(
            "2020-01-drone-strike-soleimani-muhandis",
            TimeEstimate(
                "2020-01-01", precision="month", phrase="an earlier US drone attack"
            ),
            [
                Site(
                    "t1",
                    Location(precision="country", method="gazetteer", country="IRQ"),
                    role="target",
                    name="Qassem Soleimani and Abu Mahdi al-Muhandis",
                )
            ],
            [
                AttributionClaim(
                    R2021,
                    "United States",
                    "accused",
                    phrase="an earlier US drone attack",
                ),
                WeaponClaim(R2021, platform="drone", phrase="US drone attack"),
                CasualtyClaim(
                    R2021,
                    "killed",
                    2,
                    qualifier="at least",
                    group="senior commanders",
                    phrase="martyred senior Iranian and Iraqi anti-terror commanders",
                    note="Qassem Soleimani and Abu Mahdi al-Muhandis are named",
                ),
            ],
            category=AIR,
            summary="Drone strike that killed Qassem Soleimani and Abu Mahdi al-Muhandis.",
            tags=["2021-report"],
            notes=(
                "The text places it before the Iraqi parliament's law of 'early last "
                "year' (2020); the month (January 2020) and Iraq as the country come "
                "from that context, not from a stated date or place."
            ),
        )
    )

    kirby = "pentagon-kirby"
    ev.append(
        Event(
            "2021-06-us-strikes-border",
            TimeEstimate(
                "2021-06-01",
                precision="month",
                tz="Asia/Damascus",
                phrase="Back in June",
            ),
            [
                Site(
                    "t1",
                    abu_kamal(
                        "near_settlement", "two locations in Syria ... in the same area"
                    ),
                    role="target",
                    name="Target 1 (Syria)",
                    facility="facility",
                ),
                Site(
                    "t2",
                    abu_kamal(
                        "near_settlement", "two locations in Syria ... in the same area"
                    ),
                    role="target",
                    name="Target 2 (Syria)",
                    facility="facility",
                ),
                Site(
                    "t3",
                    al_qaim("near_settlement", "another in Iraq near the border"),
                    role="target",
                    name="Target 3 (Iraq)",
                    facility="facility",
                ),
            ],
            [
                AttributionClaim(
                    kirby,
                    "United States",
                    "claimed",
                    via=R2021,
                    phrase="the Pentagon conducted airstrikes against three targets",
                ),
                WeaponClaim(
                    kirby, "airstrike", 3, via=R2021, phrase="precision airstrikes"
                ),
                TargetClaim(
                    kirby,
                    "facilities of Kata'ib Hezbollah and Kata'ib Sayyid al-Shuhada",
                    via=R2021,
                    phrase="“facilities” belonging to the groups",
                ),
                TargetClaim(
                    R2021,
                    "three targets belonging to Iraqi resistance groups",
                    phrase="three targets belonging to Iraqi resistance groups",
                ),
            ],
            category=AIR,
            summary="US airstrikes on three targets along the Iraq–Syria border (two in Syria, one in Iraq).",
            tags=["2021-report"],
            notes="'in the same area' as al-Bukamal: the Syrian targets are placed near Abu Kamal and the Iraqi one near Al Qa'im, the town across the border.",
        )
    )

    ev.append(
        Event(
            "2021-09-14-pmu-convoy-al-bukamal",
            TimeEstimate(
                "2021-09-14",
                precision="day",
                tz="Asia/Damascus",
                phrase="late on Tuesday",
            ),
            [
                Site(
                    "t1",
                    abu_kamal(
                        phrase="in the town of al-Bukamal in the eastern province of Deir Ez-Zur"
                    ),
                    role="target",
                    name="PMU convoy (three vehicles)",
                    facility="convoy",
                )
            ],
            [
                TargetClaim(
                    "sabereen",
                    "three vehicles carrying infrared monitoring equipment",
                    via=R2021,
                    phrase="three vehicles carrying infrared monitoring equipment",
                ),
                WeaponClaim(
                    "sabereen",
                    "missile",
                    4,
                    platform="US F-15 fighter jets",
                    via=R2021,
                    phrase="four missiles fired from US F-15 fighter jets",
                ),
                AttributionClaim(
                    "sabereen",
                    "United States",
                    "accused",
                    via=R2021,
                    phrase="four missiles fired from US F-15 fighter jets",
                ),
                CasualtyClaim(
                    "sabereen",
                    "killed",
                    0,
                    via=R2021,
                    phrase="the attack left no casualties",
                ),
                CasualtyClaim(
                    "sabereen",
                    "wounded",
                    0,
                    via=R2021,
                    phrase="the attack left no casualties",
                ),
                WeaponClaim(
                    "anbar-military-officials",
                    "missile",
                    4,
                    platform="warplanes and drones",
                    via="sana",
                    phrase="Warplanes and drones directed four missiles",
                ),
                TargetClaim(
                    "anbar-military-officials",
                    "headquarters of the Popular Mobilization regiments securing the border strip",
                    via="sana",
                    phrase="the headquarters of the Popular Mobilization regiments",
                ),
                AttributionClaim(
                    "media-reports",
                    "United States",
                    "accused",
                    via=R2021,
                    phrase="the attack was carried out by the United States",
                ),
                AttributionClaim(
                    "us-army-spokesperson",
                    "United States",
                    "denied",
                    via=R2021,
                    phrase="did not conduct air strikes in al-Bukamal, Sept. 14, 2021.",
                ),
            ],
            category=AIR,
            summary="Attack on a PMU convoy of three vehicles in al-Bukamal.",
            tags=["2021-report"],
        )
    )
    return EventSet(ev, SOURCES)


def main() -> None:
    es = build()
    write_events(es, OUT)
    print(f"wrote {OUT} ({len(es)} events, {len(es.sources)} sources)")
    for e in es:
        print(
            f"  {e.id}: {e.attribution_status()}, killed {e.casualties('range')['killed']}"
        )


if __name__ == "__main__":
    main()
