"""A pack as an HTML document (Jinja) and as a PDF (WeasyPrint: HTML and CSS to PDF with
page numbers, no browser).

The fonts are the package's own (fonts/, DejaVu Sans with its licence) named by
@font-face: the PDF embeds them from the package, and the HTML version carries them inline,
so neither depends on the fonts of the machine that makes or opens it. The PDF's creation
and modification dates are the result set's time of computation, so the same inputs give
the same document.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from functools import cache
from importlib.resources import files

import jinja2

from tvaers.formatting import local_date, local_datetime
from tvaers.reports.appendix import building_blocks
from tvaers.reports.content import Pack
from tvaers.reports.figures import fonts_directory
from tvaers.web.texts import translator

FORMATS = ("pdf", "html")
STAMP = "Fortroligt — ikke-diskretioneret"
STAMP_EN = "Confidential — not disclosure-controlled"
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tvaers.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _inline_fonts() -> dict[str, str]:
    directory = fonts_directory()
    return {
        k: "data:font/ttf;base64," + base64.b64encode((directory / f).read_bytes()).decode()
        for k, f in FONT_FILES.items()
    }


def _file_fonts() -> dict[str, str]:
    directory = fonts_directory()
    return {k: (directory / f).as_uri() for k, f in FONT_FILES.items()}


def html(pack: Pack, *, inline_fonts: bool = True) -> str:
    """The pack as one HTML document (fonts inline unless the PDF renderer reads them)."""
    lang = pack.lang
    tr = translator(lang)
    css = files("tvaers.reports").joinpath("templates/pack.css").read_text(encoding="utf-8")

    def iso_date(text: str) -> str:
        try:
            return local_date(date.fromisoformat(text[:10]), lang)
        except ValueError:
            return text

    note = tr(
        "— = skjult af diskretioneringen (tælleren er 1–4, eller tallet kunne regnes ud af "
        "andre viste tal); nævneren vises, tallet er aldrig 0. * = foreløbig.",
        "— = hidden by disclosure control (the numerator is 1–4, or the number could be "
        "worked out from others shown); the denominator is shown, it is never 0. "
        "* = provisional.",
    )
    return (
        _environment()
        .get_template("pack.html")
        .render(
            pack=pack,
            tr=tr,
            css=css,
            fonts=_inline_fonts() if inline_fonts else _file_fonts(),
            stamp=STAMP if lang == "da" else f"{STAMP} / {STAMP_EN}",
            note=note,
            blocks=building_blocks(),
            local_date=lambda d: local_date(d, lang),
            iso_date=iso_date,
            when=lambda iso: local_datetime(datetime.fromisoformat(iso), lang) if iso else "",
        )
    )


def pdf(pack: Pack) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html(pack, inline_fonts=False), base_url=str(fonts_directory()))
    # A fixed identifier (the fingerprint) instead of a random one: same inputs, same file.
    return document.write_pdf(
        identifier=pack.fingerprint[:32].encode(), uncompressed_pdf=False, pdf_variant=None
    )


def render(pack: Pack, fmt: str) -> bytes:
    if fmt == "pdf":
        return pdf(pack)
    if fmt == "html":
        return html(pack).encode("utf-8")
    raise ValueError(f"unknown pack format {fmt!r}")
