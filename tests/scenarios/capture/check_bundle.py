"""Check captured bundles and print their proving lines so a person can read them.

Usage: python tests/scenarios/capture/check_bundle.py tests/scenarios/bundles/c01 [...]
Checks expect.json's fields and values, that proving ranges exist, that decoys occur, that no
file is empty and the size budget; exits 1 on any problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CATEGORIES = {
    "memory",
    "disk",
    "cpu",
    "file_descriptors",
    "connection_pool",
    "database",
    "network",
    "dns",
    "tls",
    "dependency",
    "configuration",
    "deployment",
    "code_error",
    "data",
    "rate_limit",
    "scheduling",
    "permission",
    "clock",
    "hardware",
    "unknown",
}
FIELDS = {
    "question",
    "category",
    "component",
    "statement",
    "proving_lines",
    "decoys",
    "source",
    "held_out",
}


def physical_lines(path: Path) -> list[str]:
    """Lines split as CONTRACTS.md section 1 says (\\n, \\r\\n or a lone \\r)."""
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def check(bundle: Path) -> list[str]:
    """The problems of one bundle (empty when it is sound); prints its proving lines."""
    problems: list[str] = []
    expect = json.loads((bundle / "expect.json").read_text())
    if set(expect) != FIELDS:
        problems.append(f"fields differ: {sorted(set(expect) ^ FIELDS)}")
    if expect.get("category") not in CATEGORIES:
        problems.append(f"unknown category {expect.get('category')!r}")
    if expect.get("source") != "captured" or not isinstance(expect.get("held_out"), bool):
        problems.append("source must be 'captured' and held_out a bool")
    evidence = [path for path in sorted(bundle.iterdir()) if path.name != "expect.json"]
    texts = {path.name: physical_lines(path) for path in evidence}
    total_lines = sum(len(lines) for lines in texts.values())
    total_bytes = sum(path.stat().st_size for path in evidence)
    problems += [f"{path.name} is empty" for path in evidence if path.stat().st_size == 0]
    if not 2_000 <= total_lines <= 20_000 or total_bytes > 1_600_000:
        problems.append(f"size budget: {total_lines} lines, {total_bytes} bytes")
    print(
        f"== {bundle.name}: {expect['category']} / {expect['component']} "
        f"({total_lines} lines, {total_bytes} bytes, held_out={expect['held_out']})"
    )
    for proof in expect["proving_lines"]:
        lines = texts.get(proof["evidence_name"])
        start, end = proof["line_start"], proof["line_end"]
        if lines is None or not 1 <= start <= end <= len(lines):
            problems.append(f"bad range {proof}")
            continue
        for number in range(start, end + 1):
            print(f"   {proof['evidence_name']}:{number}: {lines[number - 1][:220]}")
    joined = "\n".join("\n".join(lines) for lines in texts.values())
    problems += [f"decoy {d!r} absent" for d in expect["decoys"] if d not in joined]
    return problems


def main() -> None:
    failed = False
    for argument in sys.argv[1:]:
        for problem in check(Path(argument)):
            print(f"   PROBLEM: {problem}")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
