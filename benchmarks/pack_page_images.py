"""The page images of docs/data-packs.md: a sample pack made from the demo's result set and
some of its pages drawn as PNG (pypdfium2), so the documentation shows the pack as it is.

    make demo   # (TVAERS_DEMO_SERVE=0 to stop before serving)
    .venv/bin/python benchmarks/pack_page_images.py --db demo-output/tvaers.duckdb

The PDF itself is not kept (it would grow the repository with every change); the pages go
to docs/data-packs/page-<n>.png.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tvaers.reports.batch import make_pack, open_snapshot

DOCS = Path(__file__).resolve().parent.parent / "docs" / "data-packs"
UNIT = "cluster:syddanmark-fyn"
PAGES = (1, 2, 3)  # the cover, the key figures, the first indicator's section
SCALE = 0.9  # 72 dpi × 0.9: readable, small files


def main() -> None:
    import pypdfium2 as pdfium

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("demo-output/tvaers.duckdb"))
    parser.add_argument("--unit", default=UNIT)
    args = parser.parse_args()
    level, _, code = args.unit.partition(":")
    made = make_pack(open_snapshot(args.db), level, code, None, "da", "pdf")
    document = pdfium.PdfDocument(made.data)
    DOCS.mkdir(parents=True, exist_ok=True)
    for number in PAGES:
        image = document[number - 1].render(scale=SCALE).to_pil()
        target = DOCS / f"page-{number}.png"
        image.save(target, optimize=True)
        print(f"{target} ({target.stat().st_size // 1024} kB)")
    print(f"{len(document)} pages, fingerprint {made.fingerprint[:16]}")


if __name__ == "__main__":
    main()
