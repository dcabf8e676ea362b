"""The user guide inside the application: the user-facing pages of docs/ rendered to HTML.

The pages are the repository's own Markdown (one source for the guide on GitHub and in the
application; a wheel carries a copy made at build time, see ``docs_dir``), rendered with
markdown-it-py: raw HTML in a page is escaped, never passed through, and links are checked
by the library (no ``javascript:``). Links between served pages become links to their help
pages; links to pages that are not for users (the operators' guide, the CLI reference) keep
their text and lose the link; images beside the pages, and the screenshots in docs/images/,
are served from /hjaelp/bilag/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

import tvaers

# The pages for the people who use the dashboards, in the order of the index.
PAGES = ("dashboards", "spc", "indicators", "indicators-guide", "organisation")
# The files a page may show or link to: those directly in docs/, and the screenshots in
# docs/images/ (`make screenshots`). A strict name, never a path, so no request reaches
# outside these two folders (\Z, not $: $ would allow a trailing newline).
ATTACHMENTS = re.compile(r"^(?:[a-z0-9-]+\.(?:svg|png|csv)|images/[a-z0-9-]+\.png)\Z")
HELP = "/hjaelp"
# Where an installed package keeps its copy of the pages (pyproject.toml's
# [tool.tvaers.help-docs], copied from docs/ by setup.py when a wheel is built).
PACKAGED = "_docs"


def docs_dir(package: Traversable | None = None, checkout: Path | None = None) -> Path:
    """The folder the help reads its pages and images from: the package's own copy when
    the package is installed from a wheel; in an editable install (the package runs from
    its checkout, src/tvaers) there is no copy, and the checkout's docs/ is the only one."""
    package = resources.files(tvaers) if package is None else package
    checkout = Path(tvaers.__file__).resolve().parents[2] if checkout is None else checkout
    packaged = package / PACKAGED
    # FileResponse serves the images from a real file, so only a copy on disk counts.
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    if (checkout / "pyproject.toml").is_file() and (checkout / "docs").is_dir():
        return checkout / "docs"
    return Path(str(packaged))  # installed without its pages: the help lists none


DOCS = docs_dir()


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    summary: str
    html: str


def _rewrite_links(tokens: list[Token]) -> None:
    """Help links instead of repository paths; unserved pages' links dropped (text kept)."""
    for i, token in enumerate(tokens):
        if token.children:
            _rewrite_links(token.children)
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            if ATTACHMENTS.match(src):
                token.attrSet("src", f"{HELP}/bilag/{src}")
        if token.type != "link_open":
            continue
        href = str(token.attrGet("href") or "")
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith(("#", "/")):
            continue  # an address elsewhere or an anchor on the same page
        page, _, anchor = href.partition("#")
        slug = page.removesuffix(".md")
        if page.endswith(".md") and slug in PAGES:
            token.attrSet("href", f"{HELP}/{slug}" + (f"#{anchor}" if anchor else ""))
        elif ATTACHMENTS.match(page):
            token.attrSet("href", f"{HELP}/bilag/{page}")
        else:
            _drop_link(tokens, i)


def _drop_link(tokens: list[Token], start: int) -> None:
    depth = 0
    for token in tokens[start:]:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        if token.type in ("link_open", "link_close"):
            token.type, token.tag, token.attrs = "text", "", {}
            token.content = ""
        if depth == 0:
            return


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.use(anchors_plugin, min_level=1, max_level=3)
    md.core.ruler.push("tvaers_links", lambda state: _rewrite_links(state.tokens))
    # A wide table scrolls inside a region the keyboard can reach (as on the other pages),
    # not the whole page at phone width.
    md.add_render_rule(
        "table_open",
        lambda *_: (
            '<div class="table-wrap" tabindex="0" role="region" aria-label="Table"><table>\n'
        ),
    )
    md.add_render_rule("table_close", lambda *_: "</table></div>\n")
    return md


def _summary(text: str) -> str:
    """The page's Danish summary (the quote under the title), as plain text."""
    quote = [line[1:].strip() for line in text.splitlines() if line.startswith(">")]
    plain = " ".join(quote)
    plain = re.sub(r"\*\*Dansk resumé\.\*\*\s*", "", plain)
    plain = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", plain)
    return re.sub(r"[*`_]", "", plain).strip()


@cache
def page(slug: str) -> HelpPage | None:
    """A help page, or None for one that is not served or not installed."""
    path = DOCS / f"{slug}.md"
    if slug not in PAGES or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), slug)
    return HelpPage(slug, title, _summary(text), _renderer().render(text))


def pages() -> list[HelpPage]:
    return [p for p in (page(slug) for slug in PAGES) if p is not None]


def attachment(name: str) -> Path | None:
    """The file ``name`` (as a page links it, e.g. ``images/overview-laptop.png``), or None.
    The resolved file must lie inside the docs folder too: a symbolic link there that
    points elsewhere is not served."""
    if not ATTACHMENTS.match(name):
        return None
    path = DOCS / name
    if not path.is_file() or not path.resolve().is_relative_to(DOCS.resolve()):
        return None
    return path
