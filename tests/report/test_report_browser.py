"""What a person sees: the feedback page and the class report opened in headless Chromium.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: fds 3 and 4, no
port, no extra package). Each test loads a page, waits for its fonts, takes a full-page screenshot and
checks the rendering itself:

- the text as rendered (``innerText``: what is laid out, not what the file says) holds the scores and the
  Korean headings, and the score is inside the first screen;
- Korean is drawn with real glyphs, not tofu: every Hangul character of a heading is cut out of the
  screenshot by its layout box; distinct syllables must give distinct pictures with ink in them, and none
  may look like the box Chromium draws for a character no font has (a private-use code point rendered in
  the same font and size). The detector is itself tested on a Chromium that only has DejaVu fonts, where
  it must report tofu;
- the plots are there: every ``img`` decoded with a non-zero natural size, and its area of the screenshot
  shows the bars' colour;
- hostile text from a student runs nothing (no script element, nothing it tried to set on ``window``).

Screenshots go to the test's temporary folder (and to ``$AUTOGRADER_SCREENSHOTS`` when set).
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from autograder.gradebook.records import StoredResult
from autograder.report import ReportFiles, write_all
from tests.report.test_report import HOSTILE, TENSOR_OPS_POINTS, tensor_ops_records

pytestmark = pytest.mark.slow

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
WIDTH, HEIGHT = 1100, 900
BAR_COLOURS = ((0x4C, 0x72, 0xB0), (0x81, 0x72, 0xB3))
TOFU_PROBE = "\ud7fc"  # unassigned, beside the Hangul blocks: no font draws it
# fds 3 and 4 of the browser are the two pipe ends (a shell cannot redirect to fds above 9)
LAUNCHER = ("import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
            "os.execv(sys.argv[3], sys.argv[3:])")


def find_chromium() -> str | None:
    """``$AUTOGRADER_CHROMIUM``, else the first Chromium or Chrome on PATH."""
    configured = os.environ.get("AUTOGRADER_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """A headless Chromium spoken to over the DevTools protocol on a pipe."""

    def __init__(self, executable: str, profile: Path, env: dict[str, str] | None = None) -> None:
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        child_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_browser_r, from_browser_w):
            os.close(fd)
        args = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
                f"--user-data-dir={profile}", "about:blank"]
        self.log = profile.with_suffix(".log")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(child_r), str(child_w), *args],
                                            pass_fds=(child_r, child_w), stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=log, env=env, start_new_session=True)
        os.close(child_r)
        os.close(child_w)
        self.writer, self.reader = to_browser_w, from_browser_r
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        self.next_id += 1
        request: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        os.write(self.writer, json.dumps(request).encode() + b"\0")
        while True:
            reply = self._receive(timeout)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = 60) -> dict[str, Any]:
        for index, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(index)
        while True:
            event = self._receive(timeout)
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def _receive(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.reader], [], [], left)[0]:
                raise TimeoutError(f"no answer from Chromium in {timeout} s; log: {self.log}")
            chunk = os.read(self.reader, 1 << 20)
            if not chunk:
                raise EOFError(f"Chromium closed the pipe: {self.log.read_text(errors='replace')[-2000:]}")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def open(self, url: str) -> Tab:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, session)
        tab.send("Page.enable")
        tab.send("Emulation.setDeviceMetricsOverride",
                 {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        tab.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired", session)
        tab.evaluate("document.fonts.ready.then(() => true)")
        return tab

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
            self.process.wait(timeout=15)
        except (OSError, RuntimeError, TimeoutError, EOFError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=15)
        finally:
            os.close(self.writer)
            os.close(self.reader)


class Tab:
    """One page in the browser."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                               "returnByValue": True})
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression[:80]}...: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self) -> Image.Image:
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
        return Image.open(io.BytesIO(base64.b64decode(data["data"]))).convert("RGB")

    def platform_fonts(self, selector: str) -> list[str]:
        self.send("DOM.enable")
        self.send("CSS.enable")
        root = self.send("DOM.getDocument")["root"]["nodeId"]
        node = self.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = self.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [f"{f['familyName']} ({f['glyphCount']})" for f in fonts]


# -- the Korean glyph check ----------------------------------------------------------------------------------

# Layout boxes of the Hangul characters of an element, and of a probe of characters no font has, set in the
# element's own font (appended at the end of the body so that the element itself is untouched).
_GLYPH_BOXES = """
(() => {
  const element = document.querySelector(%(selector)s);
  const boxes = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (!/[\\uac00-\\ud7a3]/.test(node.data[i])) continue;
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      boxes.push([node.data[i], r.x + scrollX, r.y + scrollY, r.width, r.height]);
    }
  }
  const style = getComputedStyle(element);
  const probe = document.createElement('div');
  probe.style.cssText = `font-family: ${style.fontFamily}; font-size: ${style.fontSize};
                         font-weight: ${style.fontWeight}; color: ${style.color}; padding: 8px`;
  probe.textContent = %(probe)s;
  document.body.appendChild(probe);
  const range = document.createRange();
  range.setStart(probe.firstChild, 0); range.setEnd(probe.firstChild, 1);
  const r = range.getBoundingClientRect();
  return {boxes, tofu: [r.x + scrollX, r.y + scrollY, r.width, r.height]};
})()
"""


def _crop(image: Image.Image, box: list[float]) -> np.ndarray:
    x, y, w, h = box
    cut = image.crop((int(x), int(y), int(np.ceil(x + w)), int(np.ceil(y + h)))).convert("L")
    return np.asarray(cut.resize((24, 24), Image.Resampling.BILINEAR), dtype=float) / 255.0


def hangul_problems(tab: Tab, selector: str) -> tuple[list[str], int]:
    """What looks wrong with the Hangul of ``selector`` in the rendered page, and how many glyphs were seen."""
    found = tab.evaluate(_GLYPH_BOXES % {"selector": json.dumps(selector), "probe": json.dumps(TOFU_PROBE)})
    image = tab.screenshot()
    tofu = _crop(image, found["tofu"])
    glyphs: dict[str, np.ndarray] = {}
    problems = []
    for char, *box in found["boxes"]:
        if box[2] < 2 or box[3] < 2:
            problems.append(f"{char}: no layout box")
            continue
        glyphs.setdefault(char, _crop(image, box))
    for char, picture in glyphs.items():
        if (picture < 0.5).mean() < 0.03:
            problems.append(f"{char}: no ink")
        if np.abs(picture - tofu).mean() < 0.1:  # measured: real glyphs differ by about 0.3, tofu by 0.04
            problems.append(f"{char}: drawn like a missing glyph")
    chars = list(glyphs)
    same = [(a, b) for i, a in enumerate(chars) for b in chars[i + 1:]
            if np.abs(glyphs[a] - glyphs[b]).mean() < 0.02]
    if same and len(same) >= max(1, len(chars) // 3):
        problems.append(f"distinct syllables drawn alike: {same[:5]}")
    return problems, len(glyphs)


def bar_pixels(image: Image.Image, box: dict[str, float]) -> int:
    """Pixels of the plots' bar colours inside ``box`` of the screenshot."""
    area = np.asarray(image.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
                                  int(box["y"] + box["height"]))), dtype=int)
    return int(sum((np.abs(area - np.array(colour)).sum(axis=2) < 30).sum() for colour in BAR_COLOURS))


def keep(image: Image.Image, name: str, tmp_path: Path) -> Path:
    path = tmp_path / name
    image.save(path)
    target = os.environ.get("AUTOGRADER_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)
    return path


# -- fixtures ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium() -> str:
    executable = find_chromium()
    if executable is None:
        pytest.skip("Chromium not found (Debian: `make browser` installs chromium and fonts-noto-cjk as root; "
                    "or set AUTOGRADER_CHROMIUM)")
    return executable


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    running = Browser(chromium, tmp_path_factory.mktemp("chromium") / "profile")
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    records: list[StoredResult] = tensor_ops_records(tmp_path_factory.mktemp("graded"))
    return write_all(records, assignment="tensor_ops", points=TENSOR_OPS_POINTS, lang="ko",
                     out_dir=tmp_path_factory.mktemp("outputs"))


# -- tests ---------------------------------------------------------------------------------------------------

def test_feedback_page_as_a_person_sees_it(browser: Browser, outputs: ReportFiles, tmp_path: Path) -> None:
    tab = browser.open(outputs.feedback["park_seoyeon"].as_uri())
    keep(tab.screenshot(), "feedback_park_seoyeon.png", tmp_path)
    assert tab.evaluate("document.documentElement.lang") == "ko"
    assert tab.evaluate("document.characterSet") == "UTF-8"
    text = tab.evaluate("document.body.innerText")
    for seen in ("tensor_ops 채점 결과", "17 / 24점 (70.8%)", "문제 q3 · 0 / 4점", "문제 q1 · 4 / 4점",
                 "10번 셀: 예외 발생", "SyntaxError: expected ':'", "숨은 검사", "노트북 출력(일부)"):
        assert seen in text, seen
    score = tab.evaluate("(() => { const r = document.querySelector('#score').getBoundingClientRect(); "
                         "return [r.top, r.width, r.height]; })()")
    assert 0 <= score[0] < HEIGHT - score[2] and score[1] > 100  # on the first screen, without scrolling
    for selector in ("h1", "#score", "h2", "table.checks th"):
        problems, seen_glyphs = hangul_problems(tab, selector)
        assert seen_glyphs >= 1, selector
        assert not problems, f"{selector}: {problems}; fonts: {tab.platform_fonts(selector)}"


def test_late_submission_and_hostile_output_as_rendered(browser: Browser, outputs: ReportFiles) -> None:
    lee = browser.open(outputs.feedback["lee_junho"].as_uri())
    text = lee.evaluate("document.body.innerText")
    assert "15.75 / 24점" in text and "10%를 감점" in text

    crashed = browser.open(outputs.feedback["han_crash"].as_uri())  # its output is HOSTILE
    assert crashed.evaluate("typeof window.__pwned") == "undefined"
    assert crashed.evaluate("document.scripts.length") == 0
    assert crashed.evaluate("document.images.length") == 0
    assert HOSTILE in crashed.evaluate("document.querySelector('pre.output').innerText")
    assert "비정상 종료" in crashed.evaluate("document.body.innerText")


def test_class_report_as_a_person_sees_it(browser: Browser, outputs: ReportFiles, tmp_path: Path) -> None:
    tab = browser.open(outputs.report.as_uri())
    image = tab.screenshot()
    keep(image, "class_report.png", tmp_path)
    text = tab.evaluate("document.body.innerText")
    for seen in ("tensor_ops 전체 채점 보고서", "제출 7개", "점수 분포", "검사별 통과율", "가장 흔한 실패 메시지",
                 "jung_timeout", "han_crash", "oh_invalid", "시간 초과", "비정상 종료", "채점할 수 없는 파일"):
        assert seen in text, seen
    plots = tab.evaluate("[...document.images].map(i => { const r = i.getBoundingClientRect(); return "
                         "{complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, "
                         "x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; })")
    assert len(plots) == 4
    for plot in plots:
        assert plot["complete"] and plot["w"] >= 300 and plot["h"] >= 150, plot
        assert plot["width"] >= 300 and plot["height"] >= 150, plot
        assert bar_pixels(image, plot) > 300, plot  # the bars are drawn, where the image is
    for selector in ("h1", "h2", "#questions + figure + table th"):
        problems, seen_glyphs = hangul_problems(tab, selector)
        assert seen_glyphs >= 1 and not problems, f"{selector}: {problems}; fonts: {tab.platform_fonts(selector)}"
    links = tab.evaluate("[...document.querySelectorAll('#students ~ table a')].map(a => a.href)")
    assert len(links) == 7 and all(link.startswith("file://") and link.endswith(".html") for link in links)


def test_the_tofu_detector_sees_tofu(chromium: str, outputs: ReportFiles, tmp_path: Path) -> None:
    """Without any CJK font (fontconfig limited to DejaVu) the glyph check must report the Hangul as tofu."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("no DejaVu fonts to build a font-less Chromium from")
    config = tmp_path / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{dejavu}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>
""", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    without_cjk = Browser(chromium, tmp_path / "profile", env=env)
    try:
        tab = without_cjk.open(outputs.feedback["park_seoyeon"].as_uri())
        keep(tab.screenshot(), "feedback_without_cjk_font.png", tmp_path)
        problems, seen_glyphs = hangul_problems(tab, "h1")
        assert seen_glyphs >= 4
        assert any("drawn like a missing glyph" in p for p in problems), problems
        assert any("drawn alike" in p for p in problems), problems
        problems, seen_glyphs = hangul_problems(tab, "#score")  # one syllable: the reference alone tells
        assert seen_glyphs == 1 and any("drawn like a missing glyph" in p for p in problems), problems
    finally:
        without_cjk.close()


# -- output blocks keep their lines (issue 10) ------------------------------------------------------------------

MODEL_SUMMARY = """Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 16)             │       160,016 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 1)              │            17 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 160,033 (625.13 KB)
"""


def test_a_model_summary_keeps_its_box_table_on_a_narrow_screen(browser: Browser, tmp_path: Path) -> None:
    from autograder.report import feedback_html
    from tests.report.test_report import checks_result, record

    page = tmp_path / "summary.html"
    page.write_text(feedback_html(record(checks_result("kim", {}, output=MODEL_SUMMARY)), "ko"), encoding="utf-8")
    tab = browser.open(page.as_uri())
    tab.send("Emulation.setDeviceMetricsOverride", {"width": 420, "height": HEIGHT, "deviceScaleFactor": 1,
                                                    "mobile": False})
    keep(tab.screenshot(), "feedback_model_summary.png", tmp_path)
    # per line of the table: how many rendered lines it took, and the x of each column border (┃ │ ┳ ┼ ...)
    layout = tab.evaluate("""(() => {
        const pre = document.querySelector('pre.output'), text = pre.firstChild, lines = [];
        let start = 0;
        for (const line of text.data.split('\\n')) {
            const tops = new Set(), borders = [];
            for (let i = 0; i < line.length; i++) {
                const range = document.createRange();
                range.setStart(text, start + i); range.setEnd(text, start + i + 1);
                const box = range.getBoundingClientRect();
                if (box.width > 0) tops.add(Math.round(box.top));
                if ('┃│┳┼╇┻┴┬┏┓┗┛┡┩├┤└┘'.includes(line[i])) borders.push(Math.round(box.left));
            }
            lines.push({rows: tops.size, borders});
            start += line.length + 1;
        }
        return {lines, scrolls: pre.scrollWidth > pre.clientWidth, style: getComputedStyle(pre).whiteSpace,
                right: pre.getBoundingClientRect().right};
    })()""")
    assert layout["style"] == "pre"
    table = [line for line in layout["lines"] if line["borders"]]
    assert len(table) == 7
    assert all(line["rows"] == 1 for line in layout["lines"] if line["rows"]), layout["lines"]  # nothing wrapped
    assert len({tuple(line["borders"]) for line in table}) == 1  # the columns line up, row after row
    assert layout["scrolls"] and layout["right"] <= 420  # the block scrolls sideways within the screen
