// HDF5 files that exercise the reader's coverage rather than Keras layouts: every superblock version h5wasm can write,
// symbol-table and dense link storage, compact and dense attributes (including a huge one), variable- and fixed-length
// strings, and chunked datasets under every chunk index (v1 B-tree, single chunk, fixed array plain and paged,
// extensible array, v2 B-tree), with deflate and shuffle, and chunks never written (they read as the fill value 0).
// expected_hdf5_features.json lists what each file holds, computed here from the same formulas.
import { join } from "node:path";
import { writeFileSync } from "node:fs";

function values(n, salt) {
  return Array.from({ length: n }, (_, i) => Math.fround(100 * Math.sin(0.1 * i + salt) + i * 0.25));
}

export function writeHdf5Features(h5wasm, out) {
  const expected = {};
  const variants = [
    { file: "hdf5_features_v0.h5", libver: ["earliest", "v108"] }, // superblock 0, symbol tables, v1 B-tree chunks
    { file: "hdf5_features_v2.h5", libver: ["v108", "v108"] }, // superblock 2, link messages, dense storage
    { file: "hdf5_features_v3.h5", libver: "latest" }, // superblock 3, layout 4 chunk indexes
  ];
  for (const { file, libver } of variants) {
    const f = new h5wasm.File(join(out, file), "w", { libver });
    const record = { datasets: {}, attributes: {}, groups: {} };
    let salt = 0;
    const dataset = (path, shape, options = {}) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const isDouble = options.dtype === "<f8";
      const data = values(n, ++salt);
      const parent = path.includes("/") ? f.get(path.slice(0, path.lastIndexOf("/"))) : f;
      const name = path.slice(path.lastIndexOf("/") + 1);
      const ds = parent.create_dataset({
        name, data: isDouble ? Float64Array.from(data) : Float32Array.from(data), shape,
        dtype: options.dtype ?? "<f4", chunks: options.chunks ?? null, maxshape: options.maxshape ?? null,
        compression: options.compression, compression_opts: options.compression_opts,
      });
      let finalShape = shape;
      let finalValues = data;
      if (options.resize) {
        // Grow the dataset: the new area has no chunks written and reads as the fill value (0).
        ds.resize(options.resize);
        finalShape = options.resize;
        const grown = new Array(options.resize.reduce((a, b) => a * b, 1)).fill(0);
        const index = (coords, dims) => coords.reduce((acc, c, d) => acc * dims[d] + c, 0);
        for (let i = 0; i < n; i++) {
          let rest = i;
          const coords = new Array(shape.length);
          for (let d = shape.length - 1; d >= 0; d--) { coords[d] = rest % shape[d]; rest = Math.floor(rest / shape[d]); }
          grown[index(coords, options.resize)] = data[i];
        }
        finalValues = grown;
      }
      record.datasets[path] = { shape: finalShape, values: finalValues, storage: options.note ?? "contiguous" };
    };
    const deflate = { compression: 1, compression_opts: [4] };
    const shuffle = { compression: 2, compression_opts: [4] };

    dataset("contiguous_f32", [3, 4]);
    dataset("contiguous_f64", [5], { dtype: "<f8" });
    dataset("chunked_deflate", [37, 11], { chunks: [4, 3], ...deflate, note: "chunked deflate" });
    dataset("chunked_shuffle", [100], { chunks: [7], ...shuffle, note: "chunked shuffle" });
    dataset("chunked_many", [300], { chunks: [2], note: "150 chunks" });
    dataset("resized", [10], { chunks: [4], maxshape: [null], resize: [25], note: "extensible, grown" });
    if (libver === "latest") {
      dataset("single_chunk", [4, 5], { chunks: [4, 5], ...deflate, note: "single chunk index" });
      dataset("fixed_paged", [2100], { chunks: [2], note: "fixed array, paged" });
      dataset("fixed_paged_deflate", [2100], { chunks: [2], ...deflate, note: "fixed array, paged, filtered" });
      dataset("fixed_max", [5, 6], { chunks: [2, 4], maxshape: [10, 12], note: "fixed array over max dims" });
      dataset("earray_dim0", [7, 6], { chunks: [2, 4], maxshape: [null, 6], note: "extensible array" });
      dataset("earray_dim1", [4, 9], { chunks: [3, 2], maxshape: [4, null], note: "extensible array, unlimited dim 1" });
      dataset("earray_many", [1000], { chunks: [1], maxshape: [null], note: "extensible array with secondary blocks" });
      dataset("earray_many_deflate", [600], { chunks: [1], maxshape: [null], ...deflate, note: "extensible array, filtered" });
      dataset("btree2", [6, 7], { chunks: [4, 3], maxshape: [null, null], ...deflate, note: "v2 B-tree index" });
      dataset("btree2_resized", [5, 5], { chunks: [2, 2], maxshape: [null, null], resize: [9, 8], note: "v2 B-tree, grown" });
      dataset("shuffle_small", [50], { chunks: [10], ...shuffle, note: "fixed array, shuffle" });
    }

    // A group with 300 members: several symbol table nodes and a two-level B-tree with libver 1.6, dense link storage
    // (fractal heap with an indirect root block) with libver 1.8 and later.
    const big = f.create_group("big_group");
    for (let i = 0; i < 300; i++) big.create_group(`member_${String(i).padStart(3, "0")}`);
    big.get("member_123").create_dataset({ name: "value", data: Float32Array.from([123]), shape: [1] });
    record.datasets["big_group/member_123/value"] = { shape: [1], values: [123], storage: "contiguous" };
    record.groups["big_group"] = 300;

    // Attributes: variable-length (UTF-8), lists, fixed-length space-padded and null-terminated, an empty float64
    // array (Keras's empty weight_names), 20 attributes on one object (dense attribute storage with libver >= 1.8) and a
    // 80 kB attribute (a huge object in dense storage).
    const attrs = {
      vlen: "hello wörld",
      vlen_list: ["a", "bb", "ccc"],
      fixed_space: { value: ["abc", "de"], dtype: "S5" },
      fixed_null: { value: ["abc", "de"], dtype: "A5" },
      empty: { value: new Float64Array(0), dtype: "<f8", shape: [0], expected: [] },
    };
    for (const [name, spec] of Object.entries(attrs)) {
      if (typeof spec === "string") { f.create_attribute(name, spec); record.attributes[`/@${name}`] = [spec]; }
      else if (Array.isArray(spec)) { f.create_attribute(name, spec); record.attributes[`/@${name}`] = spec; }
      else { f.create_attribute(name, spec.value, spec.shape ?? [spec.value.length], spec.dtype); record.attributes[`/@${name}`] = spec.expected ?? spec.value; }
    }
    const many = f.create_group("many_attributes");
    for (let i = 0; i < 20; i++) {
      many.create_attribute(`attr_${String(i).padStart(2, "0")}`, `value ${i}`);
      record.attributes[`many_attributes@attr_${String(i).padStart(2, "0")}`] = [`value ${i}`];
    }
    if (libver !== "earliest" && !(Array.isArray(libver) && libver[0] === "earliest")) {
      const names = Array.from({ length: 2000 }, (_, i) => `layer_${i}/some_long_weight_name_${i}:0`);
      many.create_attribute("big_names", names, [names.length], "A40");
      record.attributes["many_attributes@big_names"] = names;
    }
    f.close();
    expected[file] = record;
  }
  writeFileSync(join(out, "expected_hdf5_features.json"), JSON.stringify(expected));
}
