"""Every clause of the notice (POLICY_MAP.md) and how the model covers it.

``coverage()`` is generated from the code: a clause's levers are those whose ``clause`` is its
ID, its indicators those of the catalogue whose ``clause`` is its ID plus those its levers move.
Objectives (O) and working requirements W2-W3 are covered through indicators and the tools
(baseline, comparison, assessment); every other clause changes behaviour or capacity and must
have a lever.
"""

from __future__ import annotations

CLAUSES: dict[str, str] = {
    "O1": "Raise employment quality and skills",
    "O2": "Protect labour rights",
    "O3": "Expand county basic public services to migrants and their families",
    "O4": "Barrier-free settlement in towns",
    "O5": "Accessible, convenient services",
    "E1": "Stabilise and expand county jobs",
    "E2": "East-West labour cooperation",
    "E3": "County labour brands",
    "E4": "Demonstration of rural labour transfer",
    "E5": "Public employment services reach villages",
    "E6": "Spring Breeze and recruitment campaigns; job information",
    "E7": "Returnee entrepreneurship",
    "S1": "Large-scale vocational training",
    "S2": "Every willing poverty-alleviated worker trained (key assisted counties)",
    "S3": "Training targets: person-times, high-skilled workers, rural craftsmen",
    "S4": "County coordination of training providers",
    "S5": "Programmes for older and young workers",
    "R1": "Labour contracts",
    "R2": "Social-insurance enrolment",
    "R3": "Work-injury benefits after return home",
    "R4": "Transfer and continuation of social insurance",
    "R5": "Wage-arrears investigation",
    "R6": "Arbitration green channel and legal aid",
    "R7": "Flexible and new-form workers' rights",
    "P1": "Basic public service standards",
    "P2": "Transfers linked to the transferred population",
    "P3": "Affordable housing for migrants",
    "P4": "School seats planned by resident population",
    "P5": "Admission on the residence-permit basis; purchased places",
    "P6": "Remove settlement restrictions",
    "G1": "County coordination body",
    "G2": "Service centres and one-stop windows",
    "G3": "Information system and dynamic monitoring",
    "G4": "Spring Warmth service action",
    "W1": "Leadership and joint mechanism",
    "W2": "Baseline analysis (know the numbers), plans with schedules",
    "W3": "Guidance, evaluation and supervision",
    "W4": "Publicity and policy awareness",
}

#: clauses covered through indicators and the tools rather than a lever
THROUGH_INDICATORS = ("O1", "O2", "O3", "O4", "O5", "W2", "W3")


def coverage() -> list[dict[str, object]]:
    """One row per clause: its levers and the indicators that show it."""
    from countysim.indicators import CATALOGUE
    from countysim.policy.levers import LEVERS

    rows = []
    for cid, title in CLAUSES.items():
        levers = [lv.name for lv in LEVERS if lv.clause == cid]
        inds = [i.name for i in CATALOGUE if i.clause == cid]
        for lv in LEVERS:
            if lv.clause == cid:
                inds += [n for n in lv.indicators if n not in inds]
        rows.append({"clause": cid, "title": title, "levers": levers, "indicators": inds})
    # evaluation (W3) assesses the objectives: it is shown by the objectives' indicators
    objectives = [n for r in rows if r["clause"].startswith("O") for n in r["indicators"]]
    for r in rows:
        if r["clause"] == "W3":
            r["indicators"] = objectives
    return rows
