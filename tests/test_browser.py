"""The HTML report in a real browser (headless Chromium): the rule table renders, every image
loads, nothing is logged to the console as an error, the embedded annotated WebM becomes
playable (readyState >= 2), and the page fits a phone's width. Screenshots go to
test-artifacts/.

Skips only when Chromium or its driver is not installed (CI installs Debian's `chromium` and
`chromium-driver`)."""
from __future__ import annotations

import json
import shutil
import tempfile

import pytest
from sample_reports import REPO, run_analyze, sample_series

ARTIFACTS = REPO / "test-artifacts"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required")


def browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("headless Chromium not installed (apt-get install chromium chromium-driver)")
    return chromium, driver


@pytest.fixture(scope="module")
def browser():
    chromium, driver_path = browser_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gaitcheck-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1200,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # A driver path given: Selenium Manager (which would download drivers) never runs.
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The slouch sample's report with its annotated video embedded."""
    browser_paths()
    series = sample_series(tmp_path_factory, "walk_side_slouch")
    out = tmp_path_factory.mktemp("browser")
    code, _, err = run_analyze(series, "--html", out / "report.html", "--annotate", out / "walk.webm",
                               "--json", out / "report.json", "-q")
    assert code == 0, err
    return out / "report.html", json.loads((out / "report.json").read_text())


def test_report_renders_in_chromium(browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    html, report = page
    browser.get(html.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "table#rules tbody tr")
    assert len(rows) == len(report["rules"]) and all(row.is_displayed() for row in rows)
    assert browser.find_element(By.ID, "verdict").text

    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return Array.from(document.images).every(i => i.complete)"))
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.alt, i.naturalWidth, i.naturalHeight])")
    assert len(images) >= 3  # key frames and plots
    assert all(width > 0 and height > 0 for _, width, height in images), images
    assert browser.find_elements(By.CSS_SELECTOR, "figure.keyframe img")

    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "const v = document.querySelector('video'); return v !== null && (v.readyState >= 2 || v.error !== null)"))
    state = browser.execute_script(
        "const v = document.querySelector('video'); return [v.readyState, v.error && v.error.code, v.videoWidth, v.duration]")
    assert state[0] >= 2 and state[1] is None and state[2] > 0, state

    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1200, 900)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1200, min(int(height) + 100, 12000))
    assert browser.save_screenshot(str(ARTIFACTS / "report.png"))

    browser.set_window_size(390, 844)  # a phone
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a phone screen"
    assert browser.save_screenshot(str(ARTIFACTS / "report-phone.png"))

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
