// Reads the Keras 3 weight files RnnGen wrote (tests/RnnGen.Formats.Tests/Fixtures/saved/) with h5wasm, HDF5 itself
// compiled to WebAssembly, and compares each with the Keras-layout fixture of the same model
// (tests/RnnGen.Formats.Tests/Fixtures/generated/, written by tests/formats-fixtures with h5wasm as Keras 3's
// saving_lib lays them out): every dataset's path, shape, dtype and bits, and every group. Writes what it found to
// Fixtures/saved/h5wasm-check.json, which SaveWeightsTests compares with the model's weights. Exits 1 on a difference.
// Run: npm ci && npm run check.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import h5wasm from "h5wasm/node";

const here = fileURLToPath(new URL(".", import.meta.url));
const fixtures = join(here, "..", "..", "RnnGen.Formats.Tests", "Fixtures");
await h5wasm.ready;

// Saved file -> the Keras-layout fixture of the same model and weights. keras3_stack_pre310 has the empty vars groups
// of Keras 3.0-3.9, as RnnGen writes; keras3_simple and keras3_deep are the Keras 3.10+ layout without them, and
// keras3_deep has nine layers (more than HDF5's default of 8 links in a compact group).
const pairs = [
  { file: "stack_keras3.weights.h5", reference: "keras3_stack_pre310.weights.h5", emptyVarsInReference: true },
  { file: "simple.weights.h5", reference: "keras3_simple.weights.h5", emptyVarsInReference: false },
  { file: "deep.weights.h5", reference: "keras3_deep.weights.h5", emptyVarsInReference: false },
];

const dtypeOf = (m) => `${m.littleEndian ? "<" : ">"}${m.type === 1 ? "f" : m.type === 0 ? (m.signed ? "i" : "u") : `class${m.type}-`}${m.size}`;

// Every object under a group, depth first in name order: groups as { path, kind }, datasets with shape, dtype, bits.
function walk(group, prefix, out) {
  for (const name of [...group.keys()].sort()) {
    const path = `${prefix}/${name}`;
    const child = group.get(name);
    if (child.type === "Group") {
      out.groups.push(path);
      walk(child, path, out);
    } else if (child.type === "Dataset") {
      // h5wasm gives a scalar as a plain number; read as float32 it has the stored bits again.
      const value = typeof child.value === "number" && child.metadata.type === 1 && child.metadata.size === 4 ? Float32Array.of(child.value) : child.value;
      const bits = value instanceof Float32Array ? Array.from(new Uint32Array(value.buffer, value.byteOffset, value.length)) : null;
      out.datasets.push({ path, shape: child.shape, dtype: dtypeOf(child.metadata), bits });
    } else {
      out.other.push(`${path} (${child.type})`);
    }
  }
  return out;
}

function read(path) {
  const file = new h5wasm.File(path, "r");
  try {
    return walk(file, "", { groups: [], datasets: [], other: [] });
  } finally {
    file.close();
  }
}

const files = [];
let failed = false;
for (const { file, reference, emptyVarsInReference } of pairs) {
  const savedPath = join(fixtures, "saved", file);
  const saved = read(savedPath);
  const keras = read(join(fixtures, "generated", reference));
  const differences = [...saved.other.map((o) => `saved file has an object that is neither group nor dataset: ${o}`)];

  const byPath = new Map(keras.datasets.map((d) => [d.path, d]));
  for (const d of saved.datasets) {
    const k = byPath.get(d.path);
    if (!k) differences.push(`dataset ${d.path} is not in ${reference}`);
    else {
      if (JSON.stringify(k.shape) !== JSON.stringify(d.shape)) differences.push(`${d.path}: shape ${JSON.stringify(d.shape)}, Keras ${JSON.stringify(k.shape)}`);
      if (k.dtype !== d.dtype) differences.push(`${d.path}: dtype ${d.dtype}, Keras ${k.dtype}`);
      if (JSON.stringify(k.bits) !== JSON.stringify(d.bits)) differences.push(`${d.path}: values differ from ${reference}`);
    }
  }
  for (const k of keras.datasets) if (!saved.datasets.some((d) => d.path === k.path)) differences.push(`dataset ${k.path} of ${reference} is missing`);

  // Groups: the same, except that a Keras 3.10+ reference leaves out the groups that hold no dataset at any depth (the
  // empty vars groups, and a Dropout's group) which Keras 3.0-3.9 and RnnGen write.
  const kerasGroups = new Set(keras.groups);
  const holdsNoData = (g) => !saved.datasets.some((d) => d.path.startsWith(g + "/"));
  for (const g of saved.groups) {
    if (kerasGroups.has(g) || (!emptyVarsInReference && holdsNoData(g))) continue;
    differences.push(`group ${g} is not in ${reference}`);
  }
  for (const g of keras.groups) if (!saved.groups.includes(g)) differences.push(`group ${g} of ${reference} is missing`);

  failed ||= differences.length > 0;
  files.push({
    file,
    sha256: createHash("sha256").update(readFileSync(savedPath)).digest("hex"),
    reference,
    differences,
    groups: saved.groups,
    datasets: saved.datasets,
  });
}

// Attributes as h5py writes Python values: str as a variable-length UTF-8 string, int as a 64-bit signed integer.
const attributesPath = join(fixtures, "saved", "attributes.h5");
const values = [];
{
  const file = new h5wasm.File(attributesPath, "r");
  const collect = (object, prefix) => {
    for (const [name, attribute] of Object.entries(object.attrs)) {
      const m = attribute.metadata;
      const type = m.type === 3 && m.vlen && m.cset === 1 ? "string" : m.type === 0 && m.signed && m.size === 8 ? "integer" : dtypeOf(m);
      values.push({ path: `${prefix}/${name}`, type, value: typeof attribute.value === "bigint" ? attribute.value.toString() : attribute.value });
    }
  };
  collect(file, "");
  collect(file.get("layers"), "/layers");
  file.close();
}

// Every encoding branch of the writer: 300 links in a compact group, a 300-byte and a non-ASCII link name, an empty
// dataset, a scalar, a 3-D array (SaveWeightsTests.FeatureFile).
const featuresPath = join(fixtures, "saved", "features.h5");
const features = read(featuresPath);
failed ||= features.other.length > 0;

const result = {
  generatedBy: "tests/golden/saved-weights/check.mjs",
  reader: `h5wasm ${JSON.parse(readFileSync(join(here, "node_modules", "h5wasm", "package.json"), "utf8")).version}`,
  files,
  features: { file: "features.h5", sha256: createHash("sha256").update(readFileSync(featuresPath)).digest("hex"), groups: features.groups, datasets: features.datasets },
  attributes: { file: "attributes.h5", sha256: createHash("sha256").update(readFileSync(attributesPath)).digest("hex"), values },
};
// One line per array of numbers and per dataset, so the file stays readable and diffs stay small.
const text = JSON.stringify(result, null, 1)
  .replace(/\[\s+([-\d.,\s]+?)\s+\]/g, (_, inner) => `[${inner.split(/,\s*/).join(", ")}]`)
  .replace(/\{\s+("path"[^{}]*?)\s+\}/g, (_, inner) => `{ ${inner.split(/\s*\n\s*/).join(" ")} }`);
writeFileSync(join(fixtures, "saved", "h5wasm-check.json"), text + "\n");
for (const f of files) console.log(`${f.file} vs ${f.reference}: ${f.datasets.length} datasets, ${f.groups.length} groups, ${f.differences.length ? f.differences.join("; ") : "same layout and values"}`);
console.log(`features.h5: ${features.groups.length} groups, ${features.datasets.length} datasets`);
console.log(`attributes.h5: ${values.map((v) => `${v.path} = ${JSON.stringify(v.value)} (${v.type})`).join(", ")}`);
process.exit(failed ? 1 : 0);
