"""The audit log: who saw unsuppressed data or changed something, when, append-only."""

from tvaers.domains import Domain, NavEntry
from tvaers.roles import ADMINISTERS

DOMAIN = Domain(
    name="audit",
    title_da="Revisionslog",
    title_en="Audit log",
    routers=("tvaers.audit.pages:router",),
    templates="templates",
    nav=(NavEntry("/admin/audit", "Revisionslog", "Audit log", ADMINISTERS, order=90),),
)
