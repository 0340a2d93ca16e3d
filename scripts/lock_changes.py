"""Prints what a refresh of requirements.txt changed: `lock_changes.py BEFORE AFTER`."""

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(path: str) -> dict[str, str]:
    return {name.lower(): version for name, version in PIN.findall(Path(path).read_text())}


def main(before_path: str, after_path: str) -> None:
    before, after = pins(before_path), pins(after_path)
    lines = [
        f"  {name} {before[name]} -> {after[name]}"
        for name in sorted(before.keys() & after.keys())
        if before[name] != after[name]
    ]
    lines += [f"  {name} {after[name]} (new)" for name in sorted(after.keys() - before.keys())]
    lines += [f"  {name} {before[name]} (removed)" for name in sorted(before.keys() - after.keys())]
    print(
        "requirements.txt changed:"
        if lines
        else "requirements.txt: every version is already the newest allowed."
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:3])
