"""Screenshots of the public dashboard and of a daily report for the docs, taken by headless
Chromium (Playwright, Debian's /usr/bin/chromium) from a demo server on a free local port.

    .venv/bin/python scripts/screenshots.py   (or `make screenshots`)

Writes docs/screenshots/dashboard.png (a desktop window), dashboard-phone.png (a phone's width)
and report.png."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CEASEFIRE = str(Path(sys.executable).parent / "ceasefire")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo server did not answer at {url}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ceasefire-screens-") as data:
        env = {**os.environ, "CEASEFIRE_DATA_DIR": data, "CEASEFIRE_LANGUAGE": "en"}
        subprocess.run(  # noqa: S603 - our own command
            [CEASEFIRE, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        # Signed now: the demo server runs no worker to sign it in the background.
        subprocess.run([CEASEFIRE, "log", "checkpoint"], env=env, check=True)  # noqa: S603
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own command
            [CEASEFIRE, "serve", "--no-worker", "--workers", "1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/health")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                desktop = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
                desktop.goto(f"{base}/public/")
                desktop.screenshot(path=OUT / "dashboard.png", full_page=True)
                desktop.goto(f"{base}/public/reports/")
                desktop.locator(".report-list a").first.click()
                desktop.wait_for_load_state()
                desktop.screenshot(path=OUT / "report.png", full_page=True)
                phone = browser.new_page(
                    viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="en-GB"
                )
                phone.goto(f"{base}/public/")
                phone.screenshot(path=OUT / "dashboard-phone.png", full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    for name in ("dashboard.png", "dashboard-phone.png", "report.png"):
        print(OUT / name)


if __name__ == "__main__":
    main()
