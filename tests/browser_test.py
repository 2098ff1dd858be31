#!/usr/bin/env python3
"""Opens every committed report in headless Chromium.

For each reports/**/index.html: the page is loaded with scripts on; the page's own probe
(page.cpp) records how many inline SVGs have a non-empty box and how many script errors
happened; the diagram must carry the ids of the scenario's VPCs, subnets and gateways;
and a screenshot is taken and must not be blank. Exits 77 (CTest: skipped) with a clear
message when Chromium is absent; .ci/run installs Debian's chromium.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def diagram_id(component):
    return re.sub(r"[^A-Za-z0-9._-]", "_", component)


def expected_ids(source_dir, readme):
    """The components the diagram must show, from the scenario the report names."""
    match = re.search(r"^`([^`]+\.json)`", readme, re.M)
    if not match:
        return []
    scenario = source_dir / match.group(1)
    if not scenario.is_file():
        return []
    data = json.loads(scenario.read_text())
    ids = [v["id"] for v in data.get("vpcs", [])]
    ids += [s["id"] for s in data.get("subnets", [])]
    ids += [g["id"] for g in data.get("internet_gateways", []) if g.get("vpc")]
    ids += [n["id"] for n in data.get("nat_gateways", [])]
    return [diagram_id(i) for i in ids]


def run(chrome, args, timeout=60):
    return subprocess.run([chrome, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", *args], capture_output=True, text=True,
                          timeout=timeout)


def main():
    source_dir = pathlib.Path(sys.argv[1]).resolve()
    chrome = browser()
    if not chrome:
        print("SKIP: Chromium is not installed (apt-get install chromium); the browser test "
              "runs in .ci/run")
        return 77
    pages = sorted(p for p in (source_dir / "reports").rglob("index.html")
                   if p.parent != source_dir / "reports")
    if not pages:
        print("FAIL: no reports under reports/")
        return 1
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, page in enumerate(pages):
            url = page.as_uri()
            dom = run(chrome, ["--dump-dom", url]).stdout
            rendered = re.search(r'data-svg-rendered="(\d+)/(\d+)"', dom)
            errors = re.search(r'data-errors="(\d+)"', dom)
            name = page.parent.relative_to(source_dir / "reports")
            if not rendered or rendered.group(1) != rendered.group(2) or rendered.group(1) == "0":
                failures.append(f"{name}: SVG not rendered ({rendered.group(0) if rendered else 'no probe'})")
            if not errors or errors.group(1) != "0":
                failures.append(f"{name}: script errors ({errors.group(0) if errors else 'no probe'})")
            readme = (page.parent / "README.md").read_text()
            for component in expected_ids(source_dir, readme):
                if f'id="{component}"' not in dom:
                    failures.append(f"{name}: the diagram has no component {component}")
            shot = pathlib.Path(tmp) / f"{i}.png"
            run(chrome, ["--window-size=1400,1000", f"--screenshot={shot}", url])
            if not shot.is_file() or shot.stat().st_size < 20000:
                failures.append(f"{name}: the screenshot is missing or blank")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(pages)} reports opened in {chrome}: {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
