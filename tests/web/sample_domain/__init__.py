"""A small registry domain used only by the tests: notes kept per unit by a secretariat.

It is written exactly as a real domain is (see docs/getting-started.md, "Add a domain"):
its own package with models, schemas, service, pages, CLI, templates and migrations, and a
descriptor. The tests add it to the registry with one line and check that the application,
the menu, the CLI and the migrations pick it up — and that the shared registry machinery
(versions, history, audit, field-named errors, the secretariat's scope) works for it.
"""

from tvaers.domains import CliEntry, Domain, NavEntry
from tvaers.roles import EVERYONE

DOMAIN = Domain(
    name="notes",
    title_da="Noter",
    title_en="Notes",
    routers=("tests.web.sample_domain.pages:router",),
    nav=(NavEntry("/notes", "Noter", "Notes", EVERYONE, order=50),),
    cli=(CliEntry("notes", "tests.web.sample_domain.cli:app", "Noter.", "Notes."),),
    migrations="migrations",
    templates="templates",
    models="tests.web.sample_domain.models",
)
