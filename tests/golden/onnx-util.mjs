// A minimal protobuf writer and ONNX model builder (onnx.proto field numbers), shared by generate.mjs (one recurrent
// node per model) and graphs.mjs (a small graph of standard ops: the MultiHeadAttention cross-check). No protobuf
// dependency: the few messages needed are written by hand. Models are IR 8, opset 17.

export class PB {
  constructor() {
    this.parts = [];
  }
  raw(u8) {
    this.parts.push(u8);
    return this;
  }
  varint(n) {
    let v = BigInt(n);
    if (v < 0n) v += 1n << 64n;
    const bytes = [];
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v) b |= 0x80;
      bytes.push(b);
    } while (v);
    return this.raw(Uint8Array.from(bytes));
  }
  tag(field, wire) {
    return this.varint((field << 3) | wire);
  }
  int(field, n) {
    return this.tag(field, 0).varint(n);
  }
  bytes(field, u8) {
    return this.tag(field, 2).varint(u8.length).raw(u8);
  }
  str(field, s) {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field, pb) {
    return this.bytes(field, pb.finish());
  }
  f32(field, f) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, f, true);
    return this.tag(field, 5).raw(b);
  }
  finish() {
    const n = this.parts.reduce((a, p) => a + p.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

export const ONNX_FLOAT = 1;

export function onnxTensor(name, dims, f32) {
  const t = new PB();
  for (const d of dims) t.int(1, d); // dims
  t.int(2, ONNX_FLOAT); // data_type
  t.str(8, name); // name
  const raw = new Uint8Array(f32.length * 4);
  const dv = new DataView(raw.buffer);
  f32.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  t.bytes(9, raw); // raw_data (little endian)
  return t;
}

export function onnxValueInfo(name, dims) {
  const shape = new PB();
  for (const d of dims) shape.msg(1, new PB().int(1, d)); // dim { dim_value }
  const tensorType = new PB().int(1, ONNX_FLOAT).msg(2, shape); // elem_type, shape
  const type = new PB().msg(1, tensorType); // TypeProto.tensor_type
  return new PB().str(1, name).msg(2, type);
}

/**
 * An attribute: a string, an integer, a list of strings, a list of floats (a plain array, even of whole numbers), or a
 * list of integers written { ints: [...] } (Transpose's perm).
 */
export function onnxAttr(name, value) {
  // AttributeProto: name=1 f=2 i=3 s=4 floats=7 ints=8 strings=9 type=20
  const a = new PB().str(1, name);
  if (typeof value === 'string') a.bytes(4, new TextEncoder().encode(value)).int(20, 3);
  else if (Number.isInteger(value)) a.int(3, value).int(20, 2);
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    for (const s of value) a.bytes(9, new TextEncoder().encode(s));
    a.int(20, 8);
  } else if (Array.isArray(value)) {
    for (const f of value) a.f32(7, f);
    a.int(20, 6);
  } else if (value && Array.isArray(value.ints) && value.ints.every(Number.isInteger)) {
    for (const n of value.ints) a.int(8, n);
    a.int(20, 7);
  } else throw new Error(`attr ${name}`);
  return a;
}

/** A model of one node (generate.mjs: an RNN, LSTM or GRU): onnxGraphModel with that node alone. */
export function onnxModel({ opType, inputs, outputs, attrs, initializers, graphInputs, graphOutputs }) {
  return onnxGraphModel({ nodes: [{ opType, inputs, outputs, attrs }], initializers, graphInputs, graphOutputs });
}

const ONNX_INT64 = 7;

/** An int64 initializer (Reshape's shape input), as raw little-endian data. */
export function onnxInt64Tensor(name, dims, values) {
  const t = new PB();
  for (const d of dims) t.int(1, d); // dims
  t.int(2, ONNX_INT64); // data_type
  t.str(8, name); // name
  const raw = new Uint8Array(values.length * 8);
  const dv = new DataView(raw.buffer);
  values.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
  t.bytes(9, raw); // raw_data (little endian)
  return t;
}

/**
 * A model of several nodes, in the order given (topological): nodes are { opType, inputs, outputs, attrs }; initializers
 * are onnxTensor / onnxInt64Tensor messages; graphInputs and graphOutputs are [name, dims] of float tensors.
 */
export function onnxGraphModel({ nodes, initializers, graphInputs, graphOutputs }) {
  const graph = new PB();
  nodes.forEach(({ opType, inputs, outputs, attrs = {} }, i) => {
    const node = new PB();
    for (const n of inputs) node.str(1, n);
    for (const n of outputs) node.str(2, n);
    node.str(3, `${opType.toLowerCase()}_${i}`).str(4, opType);
    for (const [k, v] of Object.entries(attrs)) node.msg(5, onnxAttr(k, v));
    graph.msg(1, node);
  });
  graph.str(2, 'golden');
  for (const t of initializers) graph.msg(5, t);
  for (const [n, d] of graphInputs) graph.msg(11, onnxValueInfo(n, d));
  for (const [n, d] of graphOutputs) graph.msg(12, onnxValueInfo(n, d));
  return new PB()
    .int(1, 8) // ir_version
    .str(2, 'rnngen-golden') // producer_name
    .msg(7, graph)
    .msg(8, new PB().str(1, '').int(2, 17)) // opset_import { domain "", version 17 }
    .finish();
}
