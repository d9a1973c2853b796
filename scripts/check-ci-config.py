#!/usr/bin/env python3
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

"""Checks the CI description that cannot run here: .github/workflows/ci.yml must parse, and every
preset it (or scripts/test-all.sh) names must exist in CMakePresets.json with the right kind, and
every test-all.sh stage it names must exist. Exit status 0 when all holds; the problems otherwise.

    python3 scripts/check-ci-config.py [repository root]
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml


def preset_names(presets):
    kinds = {}
    for kind in ("configurePresets", "buildPresets", "testPresets", "workflowPresets"):
        kinds[kind] = {p["name"] for p in presets.get(kind, []) if not p.get("hidden")}
    return kinds


# (pattern over a command line, preset kind it names)
PRESET_USES = [
    (re.compile(r"cmake\s+--workflow\s+--preset[ =](\S+)"), "workflowPresets"),
    (re.compile(r"cmake\s+--build\s+--preset[ =](\S+)"), "buildPresets"),
    (re.compile(r"ctest\s+--preset[ =](\S+)"), "testPresets"),
    (re.compile(r"cmake\s+--preset[ =](\S+)"), "configurePresets"),
]


def check_commands(text, where, kinds, problems):
    """Every literal preset name in `text` must exist; names built from variables are skipped."""
    for pattern, kind in PRESET_USES:
        for name in pattern.findall(text):
            name = name.strip("\"'")
            if "$" in name:
                continue
            if name not in kinds[kind]:
                problems.append(f"{where}: {kind[:-7]} preset '{name}' is not in CMakePresets.json")


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    problems = []

    presets = json.loads((root / "CMakePresets.json").read_text())
    kinds = preset_names(presets)
    for kind in ("buildPresets", "testPresets"):
        for p in presets.get(kind, []):
            if "configurePreset" in p and p["configurePreset"] not in kinds["configurePresets"]:
                problems.append(f"{kind} '{p['name']}' names a missing configure preset")

    workflow_file = root / ".github" / "workflows" / "ci.yml"
    workflow = yaml.safe_load(workflow_file.read_text())
    if not isinstance(workflow, dict) or not isinstance(workflow.get("jobs"), dict):
        problems.append(f"{workflow_file}: no jobs")
        workflow = {"jobs": {}}
    stages = subprocess.run(["bash", str(root / "scripts" / "test-all.sh"), "--list"],
                            capture_output=True, text=True, check=True).stdout.split()
    steps = 0
    for job_name, job in workflow["jobs"].items():
        if "runs-on" not in job or not isinstance(job.get("steps"), list):
            problems.append(f"ci.yml job '{job_name}': needs runs-on and a list of steps")
            continue
        matrix = job.get("strategy", {}).get("matrix", {})
        for step in job["steps"]:
            steps += 1
            run = step.get("run", "")
            check_commands(run, f"ci.yml job '{job_name}'", kinds, problems)
            if "scripts/test-all.sh" in run:
                named = []
                for entry in matrix.get("stages", []):
                    named += entry.split()
                for stage in named:
                    if stage not in stages:
                        problems.append(f"ci.yml job '{job_name}': no test-all.sh stage '{stage}'")

    check_commands((root / "scripts" / "test-all.sh").read_text(), "scripts/test-all.sh", kinds,
                   problems)

    for p in problems:
        print(f"error: {p}")
    print(f"ci config: {len(workflow['jobs'])} jobs, {steps} steps, "
          f"{sum(len(v) for v in kinds.values())} presets: "
          + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
