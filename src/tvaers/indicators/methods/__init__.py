"""The computation methods: one class per method, registered by the name a definition
file gives in `method:`. A new indicator is a definition file using one of these, or a
definition file plus one new class here (see docs/indicators-guide.md, "Adding an
indicator").
"""

from __future__ import annotations

from tvaers.indicators.methods.admissions import AdmissionsPerPopulation, RepeatedAdmissions
from tvaers.indicators.methods.base import Method
from tvaers.indicators.methods.cells import CELL_COLUMNS
from tvaers.indicators.methods.chronic import (
    ChronicAdmissions,
    ChronicContactsBySector,
    ChronicPrevalence,
)
from tvaers.indicators.methods.discharge import ReadyForDischargeDays
from tvaers.indicators.methods.population import PopulationCount, PopulationShare
from tvaers.indicators.methods.readmissions import Readmissions, ReadmissionsByFollowup
from tvaers.indicators.methods.referrals import ChronicReferral, ReferralUptake
from tvaers.indicators.methods.transitions import (
    FollowupAfterDischarge,
    NotificationCoverage,
    OutcomesAfterDischarge,
)

METHODS: dict[str, type[Method]] = {
    m.name: m
    for m in (
        PopulationCount,
        PopulationShare,
        AdmissionsPerPopulation,
        Readmissions,
        ReadyForDischargeDays,
        ChronicPrevalence,
        ChronicAdmissions,
        ChronicContactsBySector,
        RepeatedAdmissions,
        FollowupAfterDischarge,
        NotificationCoverage,
        ReadmissionsByFollowup,
        OutcomesAfterDischarge,
        ReferralUptake,
        ChronicReferral,
    )
}

__all__ = ["CELL_COLUMNS", "METHODS", "Method"]
