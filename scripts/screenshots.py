"""Screenshots of the main pages at a laptop's width (1280 px) and a phone's (390 px), from the
demo's data, into docs/images/ (docs/dashboards.md shows them).

    make screenshots

runs the demo without serving it, then this script; ``python scripts/screenshots.py`` alone
reuses an existing ./demo-output. It serves the demo's warehouse and application database on
a free loopback port, logs in as the demo accounts (published passwords, tvaers/demo.py) and
photographs what a new user sees first (the top of each page, not the whole page, so the
files stay small). Chromium is Debian's (/usr/bin/chromium), as in the browser tests.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# Without these Chromium keeps trying to reach Google's services (as in the browser tests).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}

# (file name, demo account, address): what a director, an analyst and an administrator open.
PAGES = (
    ("overview", "demo-analyst", "/"),
    ("indicator", "demo-analyst", "/indicators/preventable_admissions_65plus"),
    ("municipality", "demo-analyst", "/units/municipality/561"),
    ("region", "demo-viewer", "/units/region/1083"),
    ("audit-log", "demo-admin", "/admin/audit"),
)


@contextmanager
def serving(output: Path) -> Iterator[str]:
    """The demo's application on a free port; yields its address."""
    import uvicorn

    # The demo's own session secret and application database (beside its warehouse).
    os.environ["TVAERS_SECRET_FILE"] = str(output / "session.secret")
    os.environ.pop("TVAERS_APP_DB", None)
    from tvaers.web.app import create_app
    from tvaers.web.settings import WebSettings

    app = create_app(WebSettings.from_env(db=output / "tvaers.duckdb"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the application did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _log_in(page, base: str, username: str) -> None:
    from tvaers.demo import DEMO_USERS

    password = next(u[3] for u in DEMO_USERS if u[0] == username)
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def _charts_drawn(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every("
        "c => ['done', 'failed'].includes(c.getAttribute('data-rendered')))",
        timeout=30_000,
    )


def _shrink(path: Path) -> None:
    """256 colours instead of millions: a third of the size, the same to read. Pillow is
    not a dependency of Tværs; without it the files stay as Chromium wrote them."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def take(output: Path, images: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    images.mkdir(parents=True, exist_ok=True)
    written = []
    with serving(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        for device, (width, height) in WIDTHS.items():
            for name, username, address in PAGES:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                _log_in(page, base, username)
                response = page.goto(base + address)
                if response is None or response.status != 200:
                    status = response.status if response else "no response"
                    raise SystemExit(f"{address} as {username}: {status}")
                _charts_drawn(page)
                path = images / f"{name}-{device}.png"
                page.screenshot(path=str(path))
                _shrink(path)
                written.append(path)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-output", type=Path, default=ROOT / "demo-output")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    if not (args.demo_output / "tvaers.results.duckdb").exists():
        sys.exit(f"No demo in {args.demo_output}: run TVAERS_DEMO_SERVE=0 make demo first.")
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium (make browser, as root).")
    for path in take(args.demo_output, args.out):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
