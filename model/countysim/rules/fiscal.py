"""Fiscal: the county's monthly costs by category and the transfers it receives (P1, P2).

Costs follow what the other phases did this month, at the unit costs of ``county.costs``:

=================  ==========================================================================
category           what is paid
=================  ==========================================================================
training           subsidy per certified trainee (S1)
employment         PES referrals, village PES coverage, East-West placements (E2, E5)
schooling          migrant pupils in public seats and purchased places, new seats built (P4, P5)
housing            affordable units built and the operating subsidy of occupied units (P3)
enterprise         support for start-ups, park places (E7)
rights             inspected arrears cases, resolutions owed to arbitration or legal aid (R5, R6)
services           windows, publicity, monitoring, coordination, Spring Warmth (G1-G4, W4), and
                   basic public services for town-resident migrants at the county's standard (P1)
settlement         the public cost of citizenization (P6): once per person settling (urban
                   infrastructure, housing security), then yearly per settled person
                   (resident insurance subsidies, health, minimum living allowance); education
                   of settled children is in schooling, as for every migrant pupil
=================  ==========================================================================

Transfers (P2) are paid per settled person and per migrant living in the county town who has
not settled (a settled person counts once), and the central reward fund for citizenization pays
once per newly settled person. Everything is in yuan.

Pure functions (no model); the fiscal phase (``countysim.phases.fiscal``) books them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from countysim.parameters.county import Costs
from countysim.population import codes as c
from countysim.population.state import Population

CATEGORIES = (
    "training",
    "employment",
    "schooling",
    "housing",
    "enterprise",
    "rights",
    "services",
    "settlement",
)


@dataclass(frozen=True)
class MonthActivity:
    """What the month's phases did that costs money."""

    subsidy_yuan: float
    referrals: int
    placements: int
    pupils_primary: int
    pupils_junior: int
    purchased_places: int
    seats_built: float
    units_built: int
    units_occupied: int
    startups_supported: float
    park_places_used: int
    inspected: int
    legal_cases: float
    spring_festival: bool
    settled_new: int = 0
    settled_persons: int = 0


def town_migrants(pop: Population, rural_hukou_only: bool = False) -> int:
    """Persons of the modelled households living in the county town.

    With ``rural_hukou_only``, only those who have not moved their hukou there.
    """
    here = np.flatnonzero(pop.loc == c.COUNTY_TOWN)
    here = here[pop.alive[here]]
    return int((pop.hukou[here] == 0).sum()) if rural_hukou_only else len(here)


def month_costs(a: MonthActivity, costs: Costs, levers: dict[str, float], residents: int) -> dict[str, float]:
    """This month's cost by category, yuan."""
    year = 1.0 / 12.0
    services = year * (
        costs.window_yuan_year * levers["g2_window_coverage"]
        + costs.publicity_yuan_year * levers["w4_publicity"]
        + costs.monitoring_yuan_year * levers["g3_monitoring_coverage"]
        + costs.coordination_yuan_year * levers["g1_coordination"]
        + costs.service_standard_yuan_year * levers["p1_service_standard"] * residents
    )
    if a.spring_festival:
        services += costs.spring_warmth_yuan * levers["g4_spring_warmth"]
    return {
        "training": a.subsidy_yuan,
        "employment": a.referrals * costs.referral_yuan
        + year * costs.pes_coverage_yuan_year * levers["e5_pes_village_coverage"]
        + a.placements * costs.placement_yuan,
        "schooling": year
        * (
            a.pupils_primary * costs.primary_pupil_yuan_year
            + a.pupils_junior * costs.junior_pupil_yuan_year
            + a.purchased_places * costs.purchased_place_yuan_year
        )
        + a.seats_built * costs.seat_build_yuan,
        "housing": a.units_built * costs.affordable_unit_build_yuan
        + a.units_occupied * costs.affordable_unit_yuan_month,
        "enterprise": a.startups_supported * costs.startup_support_yuan
        + year * a.park_places_used * costs.park_place_yuan_year,
        "rights": a.inspected * costs.inspection_case_yuan + a.legal_cases * costs.legal_aid_case_yuan,
        "services": services,
        "settlement": a.settled_new * (costs.settlement_infrastructure_yuan + costs.settlement_housing_yuan)
        + year * a.settled_persons * settlement_yearly_yuan(costs),
    }


def settlement_yearly_yuan(costs: Costs) -> float:
    """The yearly public cost of one settled person (insurance subsidies, health, assistance), yuan."""
    return (
        costs.settlement_insurance_yuan_year
        + costs.settlement_health_yuan_year
        + costs.settlement_assistance_yuan_year
    )


def annuity_factor(rate: float, years: int) -> float:
    """Present value of 1 yuan a year for ``years`` years at ``rate``."""
    return float(years) if rate == 0 else (1.0 - (1.0 + rate) ** -years) / rate


def committed_settlement_cost(persons: int, child_school_years: float, costs: Costs) -> float:
    """The public cost committed when ``persons`` settle, yuan (present value).

    One-off items, the yearly items over ``settlement_cost_years`` discounted at
    ``discount_rate``, and the compulsory schooling still ahead of the settled children
    (``child_school_years`` in all) at the average cost per public pupil — the items of the
    published estimates of the public cost of citizenization.
    """
    per_pupil = 0.5 * (costs.primary_pupil_yuan_year + costs.junior_pupil_yuan_year)
    once = costs.settlement_infrastructure_yuan + costs.settlement_housing_yuan
    yearly = settlement_yearly_yuan(costs) * annuity_factor(costs.discount_rate, costs.settlement_cost_years)
    return persons * (once + yearly) + child_school_years * per_pupil


def month_transfers(
    settled_persons: int, residents: int, levers: dict[str, float], settled_new: int = 0, reward: float = 0.0
) -> float:
    """This month's transfers linked to settled and resident migrants (P2), yuan.

    ``reward`` is the central reward fund's payment per newly settled person (``settled_new``).
    """
    return (
        levers["p2_transfer_per_settled_yuan"] * settled_persons
        + levers["p2_transfer_per_resident_yuan"] * residents
    ) / 12.0 + reward * settled_new
