"""The domain registry: one descriptor per domain, which the app factory, the navigation
and the top-level CLI loop over.

Adding a domain means writing its package (``src/tvaers/<domain>/`` with ``DOMAIN`` in its
``__init__.py``) and adding one line to ``DOMAIN_PACKAGES``. Nothing else in the
application names it: its routers, navigation entries, CLI commands, templates and
migrations are all found through its descriptor.

Descriptors name their routers and CLI objects as import strings ("module:attribute"), so
reading the registry imports no FastAPI, SQLAlchemy or DuckDB: every `tvaers` command starts
fast, and only the commands and the app that need a domain's code import it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

# Order matters: it is the order of the navigation, the CLI's help and the routers.
DOMAIN_PACKAGES: tuple[str, ...] = (
    "tvaers.warehouse",
    "tvaers.synth",
    "tvaers.indicators",
    "tvaers.spc",
    "tvaers.reference",
    "tvaers.governance",
    "tvaers.transfers",
    "tvaers.agreements",
    "tvaers.dashboards",
    "tvaers.reports",
    "tvaers.transitions",
    "tvaers.users",
    "tvaers.audit",
    "tvaers.web",
)


@dataclass(frozen=True)
class NavEntry:
    """A link in the main menu (and on the overview's list of pages)."""

    href: str
    title_da: str
    title_en: str
    roles: frozenset[str]  # the roles that see the entry (and may open the page)
    # The page is "current" for paths equal to href, or starting with it when prefix is set.
    prefix: bool = False
    order: int = 100  # place in the menu, smallest first (ties: registry order)
    on_overview: bool = True  # also listed among the overview's links to other pages

    def title(self, tr: Callable[[str, str], str]) -> str:
        return tr(self.title_da, self.title_en)

    def current(self, path: str) -> bool:
        return path == self.href or (self.prefix and path.startswith(self.href))


@dataclass(frozen=True)
class CliEntry:
    """A top-level CLI command or sub-app: ``target`` is "module:attribute" of a Typer app
    (a group such as `tvaers users`) or of a function (a command such as `tvaers ingest`).
    With ``extends``, the Typer app's commands join another domain's group instead."""

    name: str
    target: str
    help_da: str = ""
    help_en: str = ""
    group: bool = True
    # Set to the name of a group an earlier domain registers (e.g. "org"): the commands of
    # ``target`` (a Typer app) join that group instead of making one of their own.
    extends: str | None = None


@dataclass(frozen=True)
class Domain:
    name: str
    title_da: str
    title_en: str
    routers: tuple[str, ...] = ()  # "module:attribute" of FastAPI routers
    nav: tuple[NavEntry, ...] = ()
    cli: tuple[CliEntry, ...] = ()
    # Alembic version directory of the domain's own tables (a branch of its own that
    # depends on the core schema), as a path inside the package; None: no tables.
    migrations: str | None = None
    templates: str | None = None  # a template directory inside the package
    models: str | None = None  # "module" of the domain's SQLAlchemy tables
    # "module" that knows registry people a user can be linked to (`tvaers users link`):
    # ``person_name(session, person_id) -> str | None`` and
    # ``seat_grants(session, person_id) -> tuple[SeatGrant, ...]`` (see tvaers.web.scope).
    people: str | None = None
    # "module" with ``imported_memberships(session, level, on) -> list[org.Membership]``:
    # memberships an operator loaded, shown beside the shipped ones (tvaers.reference.imported).
    memberships: str | None = None
    package: str = field(default="", compare=False)

    def package_path(self, relative: str) -> Path:
        module = importlib.import_module(self.package)
        return Path(module.__file__ or "").parent / relative

    @property
    def migrations_path(self) -> Path | None:
        return self.package_path(self.migrations) if self.migrations else None

    @property
    def templates_path(self) -> Path | None:
        return self.package_path(self.templates) if self.templates else None


def resolve(target: str) -> Any:
    """The object an import string "module:attribute" names."""
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


@cache
def domains() -> tuple[Domain, ...]:
    found = []
    for package in DOMAIN_PACKAGES:
        domain: Domain = importlib.import_module(package).DOMAIN
        found.append(
            domain if domain.package else Domain(**{**domain.__dict__, "package": package})  # type: ignore[arg-type]
        )
    return tuple(found)


def load_models() -> None:
    """Import every domain's tables, so the shared metadata describes the whole schema."""
    for domain in domains():
        if domain.models:
            importlib.import_module(domain.models)


def nav_entries(role: str | None) -> list[NavEntry]:
    """The main menu for a role, in registry order."""
    if role is None:
        return []
    entries = [entry for d in domains() for entry in d.nav if role in entry.roles]
    return sorted(entries, key=lambda entry: entry.order)
