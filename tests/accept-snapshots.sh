#!/usr/bin/env bash
# Accepts every pending snapshot: each *.received.* file under tests/ replaces its *.verified.* file.
# Review the diffs the failing tests printed (or `git diff` afterwards) before committing.
set -euo pipefail
cd "$(dirname "$0")"
find . -name '*.received.*' -not -path '*/bin/*' -not -path '*/obj/*' -print0 |
  while IFS= read -r -d '' received; do
    verified="${received/.received./.verified.}"
    mv "$received" "$verified"
    echo "accepted ${verified#./}"
  done
