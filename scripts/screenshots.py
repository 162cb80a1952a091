"""Take the README's screenshots from the demo data, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/images/readme]

Loads the demo into a scratch data folder, serves it on a free port, signs in as demo users and saves PNGs.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "tradeloop-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def shoot(browser, base: str, out: Path) -> None:
    desktop = {"viewport": {"width": 1280, "height": 860}}
    page = browser.new_page(**desktop)
    page.goto(base + "/")
    page.screenshot(path=out / "home.png")
    page.click(".product-card a")
    page.wait_for_load_state()
    page.screenshot(path=out / "product.png")
    sign_in(page, base, "wang@example.com")
    page.goto(base + "/console/")
    page.screenshot(path=out / "console.png")
    page.close()

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=2)
    phone.goto(base + "/")
    phone.screenshot(path=out / "home-zh-phone.png")
    phone.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs/images/readme"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = tempfile.mkdtemp(prefix="tradeloop-shots-")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["TRADELOOP_DATA_DIR"] = data
    tradeloop = str(Path(sys.executable).with_name("tradeloop"))
    subprocess.run([tradeloop, "demo", "--load-only"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([tradeloop, "serve", "--port", str(port), "--workers", "2"], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        chromium = next(p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if Path(p).exists())
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
            shoot(browser, base, out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
