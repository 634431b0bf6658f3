// .npy encoding as numpy.lib.format writes it (format versions 1.0, 2.0 and 3.0): magic "\x93NUMPY", version, header
// length (2 bytes for 1.0, 4 for 2.0/3.0), a Python dict literal padded with spaces and a newline so that the data
// starts at a multiple of 64 bytes (numpy's ARRAY_ALIGN), then the raw data.

function shapeLiteral(shape) {
  if (shape.length === 0) return "()";
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

// values: plain numbers; dtype "<f4", ">f4", "<f8", ">f8"; fortranOrder: store column-major.
export function encodeNpy(values, shape, { dtype = "<f4", version = 1, fortranOrder = false } = {}) {
  const header = `{'descr': '${dtype}', 'fortran_order': ${fortranOrder ? "True" : "False"}, 'shape': ${shapeLiteral(shape)}, }`;
  const prefix = version === 1 ? 10 : 12;
  let padded = header;
  while ((prefix + padded.length + 1) % 64 !== 0) padded += " ";
  padded += "\n";
  const size = dtype.endsWith("8") ? 8 : 4;
  const little = dtype.startsWith("<");
  const ordered = fortranOrder ? toFortran(values, shape) : values;
  const out = new Uint8Array(prefix + padded.length + ordered.length * size);
  out.set([0x93, ...Buffer.from("NUMPY"), version, 0], 0);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(Buffer.from(padded, version === 3 ? "utf8" : "latin1"), prefix);
  let offset = prefix + padded.length;
  for (const v of ordered) {
    if (size === 4) view.setFloat32(offset, v, little);
    else view.setFloat64(offset, v, little);
    offset += size;
  }
  return out;
}

function toFortran(values, shape) {
  // Element (i0, i1, ...) at column-major position i0 + d0 * (i1 + d1 * (...)).
  const out = new Array(values.length);
  const n = shape.length;
  for (let flat = 0; flat < values.length; flat++) {
    let rest = flat;
    const index = new Array(n);
    for (let d = n - 1; d >= 0; d--) {
      index[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    let f = 0;
    for (let d = n - 1; d >= 0; d--) f = f * shape[d] + index[d];
    out[f] = values[flat];
  }
  return out;
}
