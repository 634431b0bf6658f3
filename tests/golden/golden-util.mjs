// Helpers shared by the golden scripts (masking.mjs, embedding.mjs): a seeded generator and the float32 JSON writer.

/** FNV-1a of a case name: the seed of its weights and inputs. */
export function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small seeded uniform generator in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The shortest decimal that reads back as the same float32. */
export function f32str(v) {
  const f = Math.fround(v);
  if (f === 0) return '0';
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(f.toPrecision(p)));
    if (Math.fround(Number(s)) === f) return s;
  }
  throw new Error(`cannot format ${v}`);
}

/** A case as one line of JSON, every float written as its shortest float32 decimal. */
export function toJson(v) {
  return JSON.stringify(v, (key, value) => (typeof value === 'number' && key !== 'timesteps' ? value : value), 0)
    .replace(/-?\d+\.\d+(e-?\d+)?|-?\d+e-?\d+/g, (m) => f32str(Number(m)));
}
