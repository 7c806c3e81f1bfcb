"""Headless Chromium for the report's tests: find it (CI requires it), open a page with a
throwaway profile and no network chatter, and run a harness script inside a copy of a page to
read back what the page shows once its own script ran."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CNN_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is not installed, and CI requires the report's screenshot")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return browser


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


PRELUDE = "<script>window.__alerts=[];window.alert=function(x){window.__alerts.push(x);};</script>"


def run_harness(page: Path, profile: Path, harness: str, *extra: str) -> dict:
    """What `harness` (a <script> that writes JSON into <pre id="harness">) read off a copy of
    `page`; `extra` are Chromium's flags (a --window-size for the layout's positions)."""
    text = page.read_text(encoding="utf-8")
    copy = page.with_name(page.stem + "-harness.html")
    copy.write_text(
        text.replace("<head>", "<head>" + PRELUDE, 1).replace("</body>", harness + "</body>", 1)
    )
    done = browse(copy, profile, *extra, "--dump-dom")
    found = re.search(r'<pre id="harness">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


# Reads report.html's answers off the rendered page, as an instructor sees them: each
# exercise's most common mistake, who did not attempt 05, the similar pairs and groups, the
# contents' links and where the sections are (tests/test_report_class116.py, bench/class116.py).
ANSWERS = r"""<script>
(function(){
function text(e){return e.innerText.replace(/\s+/g,' ').trim();}
function rows(sel){return Array.prototype.slice.call(document.querySelectorAll(sel));}
var out={alerts:window.__alerts.length};
out.top=rows('#top-mistakes tbody tr').map(function(r){return [r.getAttribute('data-exercise'),
 text(r.cells[1]),text(r.cells[2])];});
var h=document.getElementById('absent-training_step');out.absentHead=text(h);
var list=h.nextElementSibling;
out.absent=rows('#absent-training_step + ul li, #absent-training_step + details li').map(
 function(li){var tag=li.querySelector('span');
  return [text(li.querySelector('a')),tag?text(tag):''];});
out.absentFolded=list.tagName==='DETAILS';
out.pairs=rows('#pair-table tbody tr').map(function(r){return [text(r.cells[0]),text(r.cells[1]),
 text(r.cells[2]),text(r.cells[3]),r.cells[4].querySelector('a').getAttribute('href')];});
out.groups=rows('#group-table tbody tr').map(function(r){return [text(r.cells[0]),
 text(r.cells[1]),text(r.cells[2])];});
out.crowdPairs=rows('#crowd-pairs tbody tr').length;
out.pairsHead=text(document.getElementById('pairs'));
out.contents=rows('nav.toc a').map(function(a){return a.getAttribute('href');});
out.height=document.documentElement.scrollHeight;
out.sections={};['mistakes','absent','integrity','loading'].forEach(function(id){
 out.sections[id]=document.getElementById(id).getBoundingClientRect().top+window.scrollY;});
var pre=document.createElement('pre');pre.id='harness';pre.textContent=JSON.stringify(out);
document.body.appendChild(pre);})();
</script>"""
