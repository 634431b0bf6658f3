"""Reads the files RnnGen saved (tests/RnnGen.Formats.Tests/Fixtures/saved/) with h5py, the HDF5 binding Keras itself
loads weights through, on the HDF5 C library Debian 12 ships (1.10): older than h5wasm's HDF5 2.0, as many Keras users'
h5py wheels are. Compares every saved file with the Keras-layout fixture of the same model as check.mjs does, reads the
datasets of features.h5 and the attributes of attributes.h5 and compares them with what h5wasm read
(h5wasm-check.json), then writes Fixtures/saved/h5py-check.json. Exits 1 on a difference.

Run after `npm run check` (needs h5py: `apt-get install python3-h5py`): /usr/bin/python3 check_h5py.py
"""

import hashlib
import json
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "RnnGen.Formats.Tests", "Fixtures")
SAVED = os.path.join(FIXTURES, "saved")


def walk(path):
    """Groups and datasets (shape, dtype, raw little-endian bytes as hex) of an HDF5 file, by path."""
    groups, datasets = [], {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Group):
                groups.append("/" + name)
            else:
                value = np.asarray(obj[()])
                datasets["/" + name] = {"shape": list(obj.shape), "dtype": obj.dtype.str, "bits": value.astype("<f4").view("<u4").ravel().tolist()}
        f.visititems(visit)
    return groups, datasets


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


with open(os.path.join(SAVED, "h5wasm-check.json"), encoding="utf-8") as f:
    h5wasm = json.load(f)

failed = False
files = []
for entry in h5wasm["files"]:
    saved_groups, saved = walk(os.path.join(SAVED, entry["file"]))
    keras_groups, keras = walk(os.path.join(FIXTURES, "generated", entry["reference"]))
    differences = []
    for name in sorted(set(saved) | set(keras)):
        if name not in keras:
            differences.append(f"dataset {name} is not in {entry['reference']}")
        elif name not in saved:
            differences.append(f"dataset {name} of {entry['reference']} is missing")
        elif saved[name] != keras[name]:
            differences.append(f"{name}: shape, dtype or values differ from {entry['reference']}")
    # Keras 3.10+ references leave out the groups that hold no dataset (empty vars groups), which RnnGen writes.
    pre310 = entry["reference"].endswith("_pre310.weights.h5")
    for group in saved_groups:
        holds_data = any(d.startswith(group + "/") for d in saved)
        if group not in keras_groups and (pre310 or holds_data):
            differences.append(f"group {group} is not in {entry['reference']}")
    differences += [f"group {g} of {entry['reference']} is missing" for g in keras_groups if g not in saved_groups]
    failed |= bool(differences)
    files.append({"file": entry["file"], "sha256": sha256(os.path.join(SAVED, entry["file"])), "reference": entry["reference"],
                  "datasets": len(saved), "groups": len(saved_groups), "differences": differences})

# features.h5: h5py and h5wasm must have read the same datasets, shapes and bits.
features_groups, features = walk(os.path.join(SAVED, "features.h5"))
features_differences = []
by_h5wasm = {d["path"]: d for d in h5wasm["features"]["datasets"]}
if set(by_h5wasm) != set(features) or sorted(features_groups) != sorted(h5wasm["features"]["groups"]):
    features_differences.append("h5py and h5wasm list different objects")
for name, d in features.items():
    other = by_h5wasm.get(name)
    if other is None or other["shape"] != d["shape"] or other["bits"] != d["bits"] or d["dtype"] != "<f4":
        features_differences.append(f"{name}: h5py read something else than h5wasm")
failed |= bool(features_differences)

# attributes.h5: str and int attributes come back as Python str and int, equal to what h5wasm read.
attributes = []
with h5py.File(os.path.join(SAVED, "attributes.h5"), "r") as f:
    for prefix, owner in (("", f), ("/layers", f["layers"])):
        for name, value in owner.attrs.items():
            value = value.item() if isinstance(value, np.generic) else value
            attributes.append({"path": f"{prefix}/{name}", "type": "string" if isinstance(value, str) else "integer" if isinstance(value, int) else type(value).__name__,
                               "value": value if isinstance(value, str) else str(value)})
attribute_differences = [] if sorted(map(json.dumps, attributes)) == sorted(map(json.dumps, h5wasm["attributes"]["values"])) else ["h5py and h5wasm read different attributes"]
failed |= bool(attribute_differences)

result = {
    "generatedBy": "tests/golden/saved-weights/check_h5py.py",
    "reader": f"h5py {h5py.version.version} (HDF5 {h5py.version.hdf5_version})",
    "files": files,
    "features": {"file": "features.h5", "sha256": sha256(os.path.join(SAVED, "features.h5")), "datasets": len(features), "differences": features_differences},
    "attributes": {"file": "attributes.h5", "sha256": sha256(os.path.join(SAVED, "attributes.h5")), "values": attributes, "differences": attribute_differences},
}
with open(os.path.join(SAVED, "h5py-check.json"), "w", encoding="utf-8") as f:
    json.dump(result, f, indent=1, ensure_ascii=False)
    f.write("\n")
for entry in files:
    print(f"{entry['file']} vs {entry['reference']}: {entry['datasets']} datasets, {entry['groups']} groups, {'; '.join(entry['differences']) or 'same layout and values'}")
print(f"features.h5: {len(features)} datasets, {'; '.join(features_differences) or 'as h5wasm read them'}")
print(f"attributes.h5: {', '.join(a['path'] + ' = ' + repr(a['value']) for a in attributes)}; {'; '.join(attribute_differences) or 'as h5wasm read them'}")
sys.exit(1 if failed else 0)
