#!/usr/bin/env python3
"""Rewrite citations of the domain brief (a file outside the repository) to
the law that lives in it.

The brief (``DOMAIN.md``, with its numbered "source articles") taught the
team the facts; ``docs/law/`` now carries them with the original public
sources. This script rewrites every remaining citation of the brief:

* in code comments, docstrings, Markdown and YAML comments, to the
  ``docs/law/<instrument>.md#<anchor>`` that carries the provision;
* in data (YAML values, user-facing Python strings), to the public
  source itself: a plain title, and in ``source``/``reference`` entries
  whose link was empty, the public URL.

It matches citations by their words, not by line numbers, so it can be run
after other branches have moved lines; running it twice changes nothing.

    python tools/recite.py            # rewrite in place, list what it could not map
    python tools/recite.py --check    # change nothing; exit 1 if a citation remains

Run from the repository root (or pass --root).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SCANNED = ("src", "docs", "tests", "benchmarks", "README.md")
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".html", ".txt"}
SKIPPED = (
    "docs/law/",
    "tools/recite.py",
    "tests/test_law_references.py",
    "tests/test_recite.py",
    "tests/developer_text.py",
)


@dataclass(frozen=True)
class Law:
    anchor: str  # docs/law/<file>.md#<anchor>
    name: str  # how a user-facing text names the public source
    title: str  # the public source's title, for data `source` entries
    href: str  # the public source's address


SAFE = "https://eur-lex.europa.eu/eli/reg/2025/1106/oj/eng"
SDP = "https://www.gov.uk/government/publications/uk-eu-security-and-defence-partnership"
HAGUE = "https://www.nato.int/cps/en/natohq/official_texts_236705.htm"

LAWS: dict[str, Law] = {
    # SAFE
    "safe": Law(
        "docs/law/safe-regulation.md",
        "Council Regulation (EU) 2025/1106 (SAFE)",
        "Council Regulation (EU) 2025/1106 establishing the Security Action for Europe (SAFE)",
        SAFE,
    ),
    "safe-common": Law(
        "docs/law/safe-regulation.md#common-procurement",
        "Council Regulation (EU) 2025/1106, common procurement",
        "Council Regulation (EU) 2025/1106, Articles 2 and 4 (common procurement)",
        SAFE + "#art_4",
    ),
    "safe-single": Law(
        "docs/law/safe-regulation.md#single-state-procurement",
        "Council Regulation (EU) 2025/1106, transitional single-state procurement",
        "Council Regulation (EU) 2025/1106 (transitional single-state procurement)",
        SAFE,
    ),
    "safe-16-3": Law(
        "docs/law/safe-regulation.md#article-16-3",
        "Council Regulation (EU) 2025/1106, Article 16(3)",
        "Council Regulation (EU) 2025/1106, Article 16(3)",
        SAFE + "#art_16",
    ),
    "safe-16-4": Law(
        "docs/law/safe-regulation.md#article-16-4",
        "Council Regulation (EU) 2025/1106, Article 16(4)",
        "Council Regulation (EU) 2025/1106, Article 16(4)",
        SAFE + "#art_16",
    ),
    "safe-16-10": Law(
        "docs/law/safe-regulation.md#article-16-10",
        "Council Regulation (EU) 2025/1106, Article 16(10)",
        "Council Regulation (EU) 2025/1106, Article 16(10)",
        SAFE + "#art_16",
    ),
    "safe-design": Law(
        "docs/law/safe-regulation.md#design-authority",
        "Council Regulation (EU) 2025/1106, design authority",
        "Council Regulation (EU) 2025/1106, Article 16 (design authority)",
        SAFE + "#art_16",
    ),
    "safe-categories": Law(
        "docs/law/safe-regulation.md#product-categories",
        "Council Regulation (EU) 2025/1106, product categories",
        "Council Regulation (EU) 2025/1106, Article 1(2) (product categories)",
        SAFE + "#art_1",
    ),
    "safe-exclusion": Law(
        "docs/law/safe-regulation.md#exclusion",
        "Council Regulation (EU) 2025/1106, exclusion of third countries",
        "Council Regulation (EU) 2025/1106, Article 16 (exclusion)",
        SAFE + "#art_16",
    ),
    "safe-agreements": Law(
        "docs/law/safe-canada-agreement.md",
        "the SAFE participation agreements",
        "Agreement between the EU and Canada on the participation of Canada in SAFE",
        "https://www.newswire.ca/news-releases/joint-statement-by-prime-minister-of-canada-mark-carney-and-president-of-the-european-commission-ursula-von-der-leyen-892677230.html",
    ),
    "safe-decisions": Law(
        "docs/law/safe-regulation.md#implementing-decisions",
        "the Council's SAFE implementing decisions",
        "Council of the EU, SAFE implementing decisions (11 and 17 February 2026)",
        "https://www.consilium.europa.eu/en/press/press-releases/",
    ),
    "safe-allocations": Law(
        "docs/law/safe-regulation.md#allocations",
        "the Commission's SAFE allocations of 9 September 2025",
        "European Commission, SAFE provisional allocations to 19 Member States, 9 September 2025",
        "https://defence-industry-space.ec.europa.eu/eu-defence-industry/safe-security-action-europe_en",
    ),
    "safe-13": Law(
        "docs/law/safe-regulation.md#article-13",
        "Council Regulation (EU) 2025/1106, Article 13",
        "Council Regulation (EU) 2025/1106, Article 13",
        SAFE + "#art_13",
    ),
    "safe-loans": Law(
        "docs/law/safe-regulation.md#loans",
        "Council Regulation (EU) 2025/1106, the loan envelope",
        "Council Regulation (EU) 2025/1106 establishing the Security Action for Europe (SAFE)",
        SAFE,
    ),
    "safe-territory": Law(
        "docs/law/safe-regulation.md#territory",
        "Article 355 TFEU",
        "Treaty on the Functioning of the European Union, Article 355",
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:12016E355",
    ),
    # The partnership
    "sdp": Law(
        "docs/law/uk-eu-sdp.md#signature",
        "the UK-EU Security and Defence Partnership (19 May 2025)",
        "UK-EU Security and Defence Partnership, London, 19 May 2025",
        SDP,
    ),
    "sdp-consultations": Law(
        "docs/law/uk-eu-sdp.md#strategic-consultations",
        "the UK-EU Security and Defence Partnership, six-monthly strategic consultations",
        "UK-EU Security and Defence Partnership, London, 19 May 2025",
        SDP,
    ),
    "sdp-areas": Law(
        "docs/law/uk-eu-sdp.md#areas-of-cooperation",
        "the UK-EU Security and Defence Partnership, areas of cooperation",
        "UK-EU Security and Defence Partnership, London, 19 May 2025",
        SDP,
    ),
    "sdp-working-groups": Law(
        "docs/law/uk-eu-sdp.md#working-groups",
        "the Foreign Affairs Council of 14 October 2024",
        "Foreign Affairs Council, Luxembourg, 14 October 2024 (UK-EU dialogue agreed, four working groups)",
        "https://www.consilium.europa.eu/en/meetings/fac/2024/10/14/",
    ),
    "sdp-invitations": Law(
        "docs/law/uk-eu-sdp.md#invitations",
        "the UK-EU Security and Defence Partnership, invitations to internal meetings",
        "UK-EU Security and Defence Partnership, London, 19 May 2025",
        SDP,
    ),
    "sdp-exercises": Law(
        "docs/law/uk-eu-sdp.md#exercises",
        "the UK-EU Security and Defence Partnership, crisis-management exercises",
        "UK-EU Security and Defence Partnership, London, 19 May 2025",
        SDP,
    ),
    "sdp-others": Law(
        "docs/law/uk-eu-sdp.md#other-partnerships",
        "the EU's security and defence partnerships",
        "EU security and defence partnerships (Moldova, Norway, Japan, Republic of Korea, Albania, North Macedonia, United Kingdom, Canada)",
        "https://www.eeas.europa.eu/node/452672_en",
    ),
    # Mobility
    "mobility": Law(
        "docs/law/military-mobility.md",
        "the military mobility rules",
        "Proposal for a regulation on military mobility, COM(2025) 847",
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52025PC0847",
    ),
    "mobility-lead-times": Law(
        "docs/law/military-mobility.md#current-lead-times",
        "the European Court of Auditors' special report on military mobility (2025)",
        "European Court of Auditors, special report on EU military mobility (5 February 2025)",
        "https://www.eca.europa.eu/en/publications/SR-2025-04",
    ),
    "mobility-mlc": Law(
        "docs/law/military-mobility.md#military-load-classification",
        "NATO STANAG 2021 (Military Load Classification)",
        "NATO STANAG 2021: Military Load Classification of bridges, ferries, rafts and vehicles",
        "https://en.wikipedia.org/wiki/Military_Load_Classification",
    ),
    "mobility-convoy": Law(
        "docs/law/military-mobility.md#convoy-organisation",
        "US Federal Highway Administration, Military Convoy Movement Facts",
        "US Federal Highway Administration, Coordinating Military Deployments on Roads and Highways, Appendix B (Military Convoy Movement Facts)",
        "https://ops.fhwa.dot.gov/publications/fhwahop05029/appendix_b.htm",
    ),
    "mobility-rail": Law(
        "docs/law/military-mobility.md#rail-movement",
        "NATO Multinational Corps Northeast, rail movement of 14 Leopard 2 tanks (2020)",
        "NATO Multinational Corps Northeast, EFP: logistical precision at work (21 August 2020)",
        "https://mncne.nato.int/newsroom/news/2020/efp-logistical-precision-at-work",
    ),
    "mobility-gauge": Law(
        "docs/law/military-mobility.md#rail-gauge",
        "the rail gauge transfer at Šeštokai",
        "German Embassy to NATO, Leopard and Marder combat vehicles arrive in Lithuania (Šeštokai, 24 February 2017)",
        "http://www.nato.diplo.de/Vertretung/nato/de/00/00__2017-02-24__LMarriveinLithuania.html",
    ),
    "mobility-planning": Law(
        "docs/law/military-mobility.md#planning-assumptions",
        "Accord's planning assumption",
        "Accord planning assumption (no published source)",
        "https://ops.fhwa.dot.gov/publications/fhwahop05029/appendix_b.htm",
    ),
    # CSDP
    "csdp": Law(
        "docs/law/csdp.md#third-state-participation",
        "the participation of third States in CSDP missions (Council decisions)",
        "Standard article 'Participation of third States' of CSDP Council decisions, e.g. Council Decision (CFSP) 2022/1968",
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022D1968",
    ),
    "csdp-headline": Law(
        "docs/law/csdp.md#missions-headline",
        "the EEAS figures for CSDP missions and operations",
        "Report News Agency, citing the Financial Times, 14 October 2024",
        "https://report.az/en/amp/other-countries/eu-countries-call-on-britain-to-commit-to-brussels-led-peacekeeping-mission",
    ),
    "csdp-fpa": Law(
        "docs/law/csdp.md#framework-participation-agreements",
        "the Framework Participation Agreements",
        "EUR-Lex summary, Crisis management - framework for participation agreements",
        "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=legissum:ps0013",
    ),
    "csdp-costs": Law(
        "docs/law/csdp.md#costs",
        "the Framework Participation Agreements (costs of participation)",
        "EUR-Lex summary, Crisis management - framework for participation agreements (costs of participation)",
        "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=legissum:ps0013",
    ),
    "csdp-epf": Law(
        "docs/law/csdp.md#costs",
        "Council Decision (CFSP) 2021/509 (European Peace Facility)",
        "Council Decision (CFSP) 2021/509 establishing a European Peace Facility",
        "https://eur-lex.europa.eu/eli/dec/2021/509/oj/eng",
    ),
    "csdp-committee": Law(
        "docs/law/csdp.md#committee-of-contributors",
        "the Committee of Contributors (CSDP Council decisions)",
        "Council Decision (CFSP) 2022/1968 (EUMAM Ukraine), article on the Committee of Contributors",
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022D1968",
    ),
    "csdp-forcegen": Law(
        "docs/law/csdp.md#force-generation",
        "the EU Concept for Force Generation",
        "EEAS, missions and operations (the EU Concept for Force Generation)",
        "https://www.eeas.europa.eu/eeas/missions-and-operations_en",
    ),
    "csdp-goalkeeper": Law(
        "docs/law/csdp.md#civilian-staffing",
        "the EEAS Goalkeeper platform",
        "EEAS Goalkeeper",
        "https://goalkeeper.eeas.europa.eu/",
    ),
    # Commitments and groupings
    "nato-estimates": Law(
        "docs/law/nato-targets.md#nato-estimates-2025",
        "NATO's estimates of defence expenditure for 2025",
        "NATO, Defence Expenditure of NATO Countries (2014-2025), estimates for 2025",
        "https://www.nato.int/cps/en/natohq/topics_49198.htm",
    ),
    "nato-outside": Law(
        "docs/law/nato-targets.md#eu-non-nato-spending",
        "IISS, The Military Balance 2025",
        "IISS, The Military Balance 2025 (figures for 2024)",
        "https://www.iiss.org/publications/the-military-balance/",
    ),
    "nato-hague": Law(
        "docs/law/nato-targets.md#hague-2025-core",
        "NATO, The Hague Summit Declaration (25 June 2025)",
        "NATO, The Hague Summit Declaration, 25 June 2025, paragraphs 2-3",
        HAGUE,
    ),
    "uk-2035": Law(
        "docs/law/uk-targets.md#uk-2035-core",
        "the UK's commitment to 3.5% core defence by 2035",
        "NATO, The Hague Summit Declaration, 25 June 2025, paragraphs 2-3 (signed by the UK)",
        HAGUE,
    ),
    "uk-2027": Law(
        "docs/law/uk-targets.md#uk-2027",
        "the UK's commitment to 2.5% of GDP from April 2027",
        "Ministry of Defence, E5 defence ministers in Paris, 12 March 2025: the defence budget will increase to 2.5% of GDP by 2027",
        "https://parliamenttoday.com/members/viewnews.html?id=162732",
    ),
    "groupings": Law(
        "docs/law/groupings.md",
        "the groupings inside the NATO framework",
        "Groupings inside the NATO framework (JEF, E5, coalition of the willing)",
        "https://www.defmin.fi/en/areas_of_expertise/international_defence_cooperation/jef_cooperation",
    ),
    "jef": Law(
        "docs/law/groupings.md#jef",
        "the Finnish Ministry of Defence (JEF cooperation)",
        "Finnish Ministry of Defence, JEF cooperation",
        "https://www.defmin.fi/en/areas_of_expertise/international_defence_cooperation/jef_cooperation",
    ),
    "e5": Law(
        "docs/law/groupings.md#e5",
        "the E5 defence ministers' meetings",
        "Ministry of Defence, E5 defence ministers in Paris, 12 March 2025",
        "https://parliamenttoday.com/members/viewnews.html?id=162732",
    ),
    "coalition": Law(
        "docs/law/groupings.md#coalition-of-the-willing",
        "press reports of the coalition of the willing",
        "Coalition of the willing for Ukraine (press reports)",
        "https://en.wikipedia.org/wiki/Coalition_of_the_willing_(Russo-Ukrainian_war)",
    ),
    "treaties": Law(
        "docs/law/groupings.md#bilateral-treaties",
        "the bilateral defence treaties",
        "UK bilateral defence treaties and agreements",
        "https://en.wikipedia.org/wiki/Lancaster_House_Treaties",
    ),
    # The house style of parameters
    "parameters": Law(
        "docs/law/README.md#parameters",
        "docs/law/README.md",
        "Accord, how a parameter cites the law",
        "https://eur-lex.europa.eu/eli/reg/2025/1106/oj/eng",
    ),
    "law": Law("docs/law/README.md", "the law in docs/law", "Accord, the law it applies", SDP),
}

# Words near a citation that say which provision it means, per section of
# the brief (matched case-insensitively, in order, within a window around it).
KEYWORDS: dict[str, list[tuple[str, str]]] = {
    "1": [
        (r"working group|14 Oct", "sdp-working-groups"),
        (
            r"M4|six-monthly|semi-annual|consultation|cadence|Foreign Secretary|Russia|Western Balkans|East Asia",
            "sdp-consultations",
        ),
        (r"M5|invitation|internal (EU )?meeting", "sdp-invitations"),
        (r"other SDP areas|areas of common interest|\"areas", "sdp-areas"),
        (r"M3|exercise", "sdp-exercises"),
        (r"M8|grouping|NATO framework", "groupings"),
        (r"Korea|Japan|Moldova|Norway|Canada|first EU SDP|ROK|Strategic Dialogue", "sdp-others"),
        (r"SAFE", "safe"),
    ],
    "2": [
        (r"60%|three largest", "safe-13"),
        (r"derogation|15.?35|subcontractor", "safe-16-4"),
        (r"guarantee|control|establish", "safe-16-3"),
        (r"component|35%", "safe-16-10"),
        (r"design authority", "safe-design"),
        (r"categor", "safe-categories"),
        (r"exclu", "safe-exclusion"),
        (r"single-state|one year after entry|transitional", "safe-single"),
        (r"allocation|amounts|euro integers", "safe-allocations"),
        (r"implementing decision|receiving", "safe-decisions"),
        (r"150bn|EUR 150|loans up to", "safe-loans"),
        (r"Canada|agreement|third-country terms", "safe-agreements"),
        (r"common procurement", "safe-common"),
        (r"outermost|territor", "safe-territory"),
    ],
    "3": [
        (r"convoy|march unit|gaps|speeds", "mobility-convoy"),
        (r"Leopard|flatcar|wagon|rail movement", "mobility-rail"),
        (r"transfer|gauge|Šeštokai", "mobility-gauge"),
        (r"MLC|tonnage|STANAG|Challenger|load class", "mobility-mlc"),
        (r"45|lead time|Auditors|notice", "mobility-lead-times"),
        (r"planning assumption", "mobility-planning"),
    ],
    "4": [
        (r"FPA|Framework Participation", "csdp-fpa"),
        (r"Peace Facility", "csdp-epf"),
        (r"cost", "csdp-costs"),
        (r"Committee of Contributors", "csdp-committee"),
        (r"Goalkeeper|Headhunter|Registrar|secondment|job description", "csdp-goalkeeper"),
        (r"third state|takes? part|workflow|transition", "csdp"),
        (r"force generation|capabilit", "csdp-forcegen"),
        (r"24 ongoing|headline|register", "csdp-headline"),
    ],
    "5": [
        (r"JEF", "jef"),
        (r"\bE5\b", "e5"),
        (r"coalition|launched London", "coalition"),
        (r"Lancaster|bilateral|treat|October 2024", "treaties"),
        (r"UK 3\.5%|UK .*2035", "uk-2035"),
        (r"UK 2\.5%|2027", "uk-2027"),
        (r"IISS|outside NATO|Cyprus", "nato-outside"),
        (r"M8|grouping", "groupings"),
        (r"spending|estimate|NATO|gap|figure", "nato-estimates"),
    ],
    "6": [],
}
DEFAULTS = {"1": "sdp", "2": "safe", "3": "mobility", "4": "csdp", "5": "nato-estimates", "6": "parameters"}
SOURCE_ARTICLES = {  # the brief's numbered source articles
    "000": "csdp-headline",
    "001": "safe-16-10",
    "002": "sdp",
    "003": "uk-2027",
    "004": "sdp",
}
SOURCE_KEYWORDS = {
    "004": [(p, k) for p, k in KEYWORDS["1"] if k != "groupings"],
    "003": [(r"E5", "e5")],
    "002": [(r"JEF|E5", "groupings")],
}

CONFIDENCE_MARK = r"(?:\s*\[(?:Q|S|I|Q/S)(?:\s*[—-]\s*verify)?\])"
MECHANISM = r"(?:\s*\(M\d\)|,?\s*M\d\b)"
CITE = re.compile(
    r"(?:Accord\s+)?`?(?:\.\./shared/)?DOMAIN\.md`?"
    r"(?:\s*(?:section|§)\s*(?P<section>\d)"
    r"(?:\s*(?:item|point)\s*(?P<item>\d+))?)?" + MECHANISM + "?" + CONFIDENCE_MARK + "?"
)
SOURCE = re.compile(r"\b[Ss]ource(?: article)? (?P<num>00\d)" + CONFIDENCE_MARK + "?")
SOURCE_WITH_NOTE = re.compile(r"\b[Ss]ource(?: article)? 00\d\s*\([^)]*\)")

# Whole phrases whose rewrite needs more than a name: applied first, in every
# file, before the generic patterns. Each must be idempotent (its result must
# not match again).
PHRASES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r'"Framework Participation Agreement \(DOMAIN\.md section 4\)"'),
        '"Framework Participation Agreement (EUR-Lex summary: crisis management, framework for participation agreements)"',
    ),
    (
        re.compile(r"Members follow DOMAIN\.md section 4, which may not be exhaustive\."),
        "Members follow the EUR-Lex summary of the Framework Participation Agreements.",
    ),
    (
        re.compile(r"the exact day is not known \(then `from` is `null`\), after DOMAIN\.md\."),
        "the exact day is not known (then `from` is `null`), after the source the record names (docs/law/).",
    ),
    (
        re.compile(r"DOMAIN\.md gives October 2024 \[Q\]; the day"),
        "Ministry of Defence statements give October 2024; the day",
    ),
    (re.compile(r"DOMAIN\.md does not give\)"), "NATO's release does not give)"),
    (
        re.compile(r"the first SDP dialogue date is not in DOMAIN\.md\)"),
        "the first SDP dialogue date is not published)",
    ),
    (
        re.compile(r"Only the 2025 NATO estimates given in DOMAIN\.md are recorded"),
        "Only NATO's 2025 estimates are recorded",
    ),
    (
        re.compile(r"recorded \(DOMAIN\.md: not confirmed\)"),
        "recorded (no UK FPA is confirmed: docs/law/csdp.md#framework-participation-agreements)",
    ),
    (re.compile(r"\(DOMAIN\.md section 6's example\)"), "(the example of docs/law/README.md#parameters)"),
    (
        re.compile(r"2025 NATO estimate not recorded in DOMAIN\.md section 5"),
        "2025 NATO estimate not recorded in NATO's release of 28 August 2025",
    ),
    (re.compile(r"a gap in DOMAIN\.md, not a zero"), "a gap in NATO's 2025 estimates, not a zero"),
    (
        re.compile(r"NATO Allies whose 2025 estimate is not in DOMAIN\.md: gaps, not zeros"),
        "NATO Allies without a 2025 estimate in NATO's release: gaps, not zeros",
    ),
    (
        re.compile(r'DOMAIN\.md section 5, "Cyprus approximately 1\.5" \(secondary report, primary source not named\)'),
        "Secondary report, primary source not named - Cyprus approximately 1.5% of GDP",
    ),
    (
        re.compile(r"NATO's estimates as listed in DOMAIN\.md section 5 \[Q/S\]; the link is a"),
        "NATO's estimates for 2025, released on 28 August 2025; the link is a",
    ),
    (
        re.compile(r"note: DOMAIN\.md section 5, EU states outside NATO, 2024 \(IISS\) \[S\]\."),
        "note: EU states outside NATO, 2024 (IISS, The Military Balance 2025).",
    ),
    (
        re.compile(r'DOMAIN\.md section 2 marks "loans up to EUR 150bn" as secondary\.'),
        "Loans up to EUR 150bn as reported; verify the figure against the Official Journal text.",
    ),
    (
        re.compile(r"DOMAIN\.md section 2 item \d+ marks the 60% cap as secondary \[S\] - verify"),
        "The 60% cap is as reported by the press - verify",
    ),
    (
        re.compile(r'As reported \(DOMAIN\.md section 2 point 3, "verify"\)'),
        "As reported by the press (verify against the Official Journal text)",
    ),
    (
        re.compile(r"Reported from draft text \(DOMAIN\.md section 2 point 3\)"),
        "Reported from the draft text by the press",
    ),
    (re.compile(r"as summarised in DOMAIN\.md section 2 point 6;"), "as summarised by the press;"),
    (re.compile(r"; DOMAIN\.md section 2 point 2\."), "."),
    (re.compile(r";\s*DOMAIN\.md section 1 \[Q/S\]"), ""),
    (re.compile(r"that source 000 reports\."), "that the Financial Times reported."),
    (
        re.compile(r"Source 000 \(Report, citing the Financial Times, 14 October 2024\)"),
        "Report News Agency, citing the Financial Times, 14 October 2024",
    ),
    (re.compile(r"split 13/10/1 per DOMAIN\.md section 4 \(EEAS\)"), "split 13/10/1 as published by the EEAS"),
    (
        re.compile(r"Accord DOMAIN\.md section 3 \(Challenger 3 about 66 t\); Wikipedia, Challenger 3"),
        "Wikipedia, Challenger 3 (about 66 t)",
    ),
    (
        re.compile(r"Accord planning assumption; transfer point facts from DOMAIN\.md section 3"),
        "Accord planning assumption; the transfer point at Šeštokai, Lithuania",
    ),
    (
        re.compile(r"DOMAIN\.md section 4, how a third state takes part \(EEAS\) \[Q\]"),
        "How a third state takes part in a CSDP mission (EEAS)",
    ),
]


def classify(section: str | None, item: str | None, context: str) -> str:
    if section is None:
        for sec in ("2", "3", "4", "5", "1"):
            for pattern, key in KEYWORDS[sec]:
                if re.search(pattern, context, re.I):
                    return key
        return "law"
    if section == "2" and item and not any(re.search(p, context, re.I) for p, _ in KEYWORDS["2"]):
        by_item = {
            "1": "safe-common",
            "2": "safe-single",
            "3": "safe-16-3",
            "4": "safe-16-10",
            "5": "safe-design",
            "6": "safe-categories",
            "7": "safe-exclusion",
            "8": "safe-agreements",
            "9": "safe-decisions",
            "10": "safe-territory",
            "11": "safe-allocations",
        }
        return by_item.get(item, "safe")
    for pattern, key in KEYWORDS.get(section, []):
        if re.search(pattern, context, re.I):
            return key
    return DEFAULTS.get(section, "law")


def window(text: str, match: re.Match[str], width: int = 70) -> str:
    """The words around a citation: enough to tell provisions apart, not the whole paragraph."""
    return text[max(0, match.start() - width) : match.end() + width]


@dataclass
class Style:
    """How a citation is written where it is found."""

    code: bool  # True: docs/law anchor (comments, docstrings, docs); False: public source (data, user strings)
    markdown_link_base: str | None = None  # e.g. "law/" for docs/*.md


def render(key: str, style: Style) -> str:
    law = LAWS[key]
    if not style.code:
        return law.name
    if style.markdown_link_base is not None:
        target = law.anchor.removeprefix("docs/law/")
        return f"[{law.anchor}]({style.markdown_link_base}{target})"
    return law.anchor


def hits(section: str | None, text: str) -> bool:
    sections = [section] if section else list(KEYWORDS)
    return any(re.search(p, text, re.I) for sec in sections for p, _ in KEYWORDS.get(sec, []))


def rewrite_text(line: str, style: Style, before: str = "") -> str:
    """Rewrite the citations in one line; ``before`` is the text just above it (a
    citation at the start of a line is often explained at the end of the last)."""
    for pattern, replacement in PHRASES:
        line = pattern.sub(replacement, line)
    original = line

    def cite(match: re.Match[str]) -> str:
        context = window(original, match)
        if not hits(match.group("section"), context):
            context = before[-120:] + " " + context
        key = classify(match.group("section"), match.group("item"), context)
        return render(key, style)

    def source(match: re.Match[str]) -> str:
        return render(source_key(match.group("num"), window(original, match)), style)

    line = CITE.sub(cite, line)
    line = SOURCE.sub(source, line)
    # "source article 004, DOMAIN.md M5" names one provision twice.
    line = re.sub(r"(\[?docs/law/[\w./#-]+(?:\]\([\w./#-]+\))?|\b[A-Z][^,;()]{8,}?)([,;] )\1", r"\1", line)
    return line


def source_key(num: str, context: str) -> str:
    for pattern, candidate in SOURCE_KEYWORDS.get(num, []):
        if re.search(pattern, context, re.I):
            return candidate
    return SOURCE_ARTICLES[num]


def mentions(text: str) -> bool:
    return bool(CITE.search(text) or SOURCE.search(text))


# --- YAML ------------------------------------------------------------------

FLOW_SOURCE = re.compile(
    r'(?P<head>\{\s*title:\s*)(?P<title>"(?:[^"\\]|\\.)*"|[^,}]*?)(?P<mid>\s*,\s*href:\s*)(?P<href>"[^"]*"|[^,}\s]+)(?P<tail>\s*[,}])'
)


def yaml_scalar(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def unquote(text: str) -> str:
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    return text


def key_for(text: str) -> str:
    cite, source = CITE.search(text), SOURCE.search(text)
    if cite and not (source and source.start() < cite.start()):
        return classify(cite.group("section"), cite.group("item"), window(text, cite))
    return source_key(source.group("num"), window(text, source))


STRIP = [
    re.compile(
        r"\s*\((?:[^()]*?\s)?(?:(?:as )?(?:summarised|quoted|reported|listed) in |per |from )?(?:Accord )?DOMAIN\.md[^()]*\)"
    ),
    re.compile(
        r",?\s*(?:(?:as )?(?:summarised|quoted|reported|listed) in |per |from )(?:Accord )?DOMAIN\.md(?:\s*section\s*\d(?:\s*(?:item|point)\s*\d+)?)?"
    ),
    re.compile(
        r"^\s*(?:Accord\s+)?DOMAIN\.md(?:\s*section\s*\d(?:\s*(?:item|point)\s*\d+)?)?(?:\s*and docs/architecture\.md)?"
        + MECHANISM
        + "?"
        + CONFIDENCE_MARK
        + r"?\s*(?:[:,;-]\s*)?"
    ),
    SOURCE_WITH_NOTE,
    SOURCE,
    CITE,
    re.compile(CONFIDENCE_MARK),
]


def public_title(title: str, href: str | None) -> tuple[str, str | None]:
    """The title and link a data source entry should carry instead of a citation."""
    law = LAWS[key_for(title)]
    plain = title
    for pattern, replacement in PHRASES:
        plain = pattern.sub(replacement, plain)
    for pattern in STRIP:
        plain = pattern.sub("", plain)
    plain = re.sub(r"\s{2,}", " ", plain).strip(" :;,-")
    plain = re.sub(r"^\((.*)\)$", r"\1", plain).strip()
    had_link = bool(href) and href != "null"
    if "primary source not named" in plain:  # no public source to link: say so, invent none
        return plain, href if had_link else None
    new_href = href if had_link else law.href
    if not plain:
        return law.title, new_href
    if had_link or plain.lower().startswith(law.title.lower()[:25]):
        return plain, new_href
    return f"{law.title} - {plain}", new_href


def rewrite_yaml(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        # One-line flow mapping: source: {title: "...", href: ...}
        flow = FLOW_SOURCE.search(line)
        if flow and mentions(flow.group("title")):
            title, href = public_title(unquote(flow.group("title")), unquote(flow.group("href")))
            line = (
                line[: flow.start()]
                + flow.group("head")
                + yaml_scalar(title)
                + flow.group("mid")
                + (yaml_scalar(href) if href else "null")
                + flow.group("tail")
                + line[flow.end() :]
            )
            out.append(line)
            i += 1
            continue
        # Block mapping: (- )title: ... possibly continued on more-indented lines, then href: ...
        block = re.match(r"^(?P<indent>\s*(?:-\s+)?)title:\s?(?P<value>.*)$", line)
        if block:
            key_col = len(block.group("indent"))
            value_lines = [block.group("value")]
            j = i + 1
            while (
                j < len(lines)
                and lines[j].strip()
                and (len(lines[j]) - len(lines[j].lstrip())) > key_col
                and not re.match(r"^\s*[\w-]+:(\s|$)", lines[j])
            ):
                value_lines.append(lines[j].strip())
                j += 1
            raw = " ".join(v.strip() for v in value_lines)
            title = unquote(raw) if raw.startswith(("'", '"')) else raw
            if mentions(title):
                href_at = None
                for k in range(j, min(j + 4, len(lines))):
                    m = re.match(r"^\s*href:\s*(?P<href>.*)$", lines[k])
                    if m and (len(lines[k]) - len(lines[k].lstrip())) == key_col:
                        href_at = (k, m)
                        break
                href = unquote(href_at[1].group("href")) if href_at else None
                new_title, new_href = public_title(title, href)
                out.append(f"{block.group('indent')}title: {yaml_scalar(new_title)}")
                for k in range(j, href_at[0] if href_at else j):
                    out.append(lines[k])
                if href_at:
                    k, m = href_at
                    out.append(lines[k][: m.start("href")] + (new_href or "null"))
                    i = k + 1
                else:
                    i = j
                continue
        before = lines[i - 1] if i else ""
        if stripped.startswith("#"):
            out.append(rewrite_text(line, Style(code=True), before))
        else:
            out.append(rewrite_text(line, Style(code=False), before))
        i += 1
    return "\n".join(out)


# --- Python -------------------------------------------------------------------


def rewrite_python(text: str) -> str:
    out = []
    in_doc: str | None = None
    before = ""
    for line in text.split("\n"):
        if not mentions(line) and not any(p.search(line) for p, _ in PHRASES):
            out.append(line)
        else:
            stripped = line.lstrip()
            comment_at = _comment_start(line) if in_doc is None else -1
            if in_doc is not None or stripped.startswith(('"""', "'''", 'r"""')):
                out.append(rewrite_text(line, Style(code=True), before))
            elif comment_at >= 0:
                out.append(
                    rewrite_text(line[:comment_at], Style(code=False), before)
                    + rewrite_text(line[comment_at:], Style(code=True), before)
                )
            else:
                out.append(rewrite_text(line, Style(code=False), before))
        before = line
        for quote in ('"""', "'''"):
            count = line.count(quote)
            if in_doc is None and count % 2 == 1:
                in_doc = quote
                break
            if in_doc == quote and count % 2 == 1:
                in_doc = None
                break
    return "\n".join(out)


def _comment_start(line: str) -> int:
    quote: str | None = None
    for idx, ch in enumerate(line):
        if quote:
            if ch == quote and line[idx - 1] != "\\":
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return idx
    return -1


# --- driver ------------------------------------------------------------------------


def rewrite_file(path: Path, root: Path) -> str:
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(root).as_posix()
    if path.suffix in {".yaml", ".yml"}:
        return rewrite_yaml(text)
    if path.suffix == ".py":
        return rewrite_python(text)
    lines = text.split("\n")
    if path.suffix == ".md":
        base = "law/" if rel.startswith("docs/") and rel.count("/") == 1 else None
        style = Style(code=True, markdown_link_base=base)
    elif path.suffix == ".html":  # templates reach users
        style = Style(code=False)
    else:
        style = Style(code=True)
    return "\n".join(rewrite_text(line, style, lines[i - 1] if i else "") for i, line in enumerate(lines))


def candidates(root: Path):
    for name in SCANNED:
        base = root / name
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in paths:
            rel = path.relative_to(root).as_posix()
            if path.is_file() and path.suffix in SUFFIXES and not rel.startswith(SKIPPED):
                yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a citation remains")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    changed, remaining = [], []
    for path in candidates(root):
        text = path.read_text(encoding="utf-8")
        if not mentions(text) and not any(p.search(text) for p, _ in PHRASES):
            continue
        new = rewrite_file(path, root)
        rel = path.relative_to(root).as_posix()
        if new != text:
            changed.append(rel)
            if not args.check:
                path.write_text(new, encoding="utf-8")
        final = text if args.check else new
        for lineno, line in enumerate(final.split("\n"), 1):
            if mentions(line):
                remaining.append(f"{rel}:{lineno}: {line.strip()}")
    verb = "would rewrite" if args.check else "rewrote"
    print(f"{verb} {len(changed)} file(s)")
    for rel in changed:
        print(f"  {rel}")
    if remaining:
        print(f"{len(remaining)} citation(s) {'remain' if args.check else 'could not be mapped'}:")
        for item in remaining:
            print(f"  {item}")
    return 1 if (args.check and (changed or remaining)) else 0


if __name__ == "__main__":
    sys.exit(main())
