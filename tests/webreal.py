"""The real pieces the web tests drive: `dossier serve` on a free port of 127.0.0.1, Debian's
chromium through chromium-driver, waits that survive a page reloading under them, and
full-page screenshots into test-artifacts/ (git-ignored)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(workspace: Path, start_seconds: float = 60):
    """`dossier serve WORKSPACE` until the block ends; yields (url, port)."""
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "dossier.cli", "serve", str(workspace), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + start_seconds
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail("dossier serve did not start: " + proc.stdout.read().decode(errors="replace"))
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", port
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def chromium(downloads: Path | None = None, console: bool = False):
    """Debian's chromium, headless; `console` keeps the browser log (CSP violations are reported there)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN"):
        options.add_argument(arg)
    if downloads is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
    if console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, seconds: float = 30):
    """A wait whose condition may look at elements of a page that reloads meanwhile: an element
    gone stale or not there yet means "not yet", not a failure."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))


def page_text(driver) -> str:
    """The whole page's visible text, read in one script call (no element handle to go stale)."""
    return driver.execute_script("return document.body ? document.body.innerText : ''")


def screenshot(driver, folder: str, name: str, max_height: int = 4000) -> None:
    artifacts = ROOT / "test-artifacts" / folder
    artifacts.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1400, min(max(height + 40, 800), max_height))
    driver.save_screenshot(str(artifacts / f"{name}.png"))
    driver.set_window_size(1400, 1000)
