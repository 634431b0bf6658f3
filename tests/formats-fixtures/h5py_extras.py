"""HDF5 features h5wasm cannot write, written with h5py (the library Keras itself uses).

h5wasm's create_dataset takes one filter and little-endian types only and has no layout option, so this script adds:
compact layout, the shuffle + deflate + fletcher32 chain h5py builds for compression="gzip", shuffle=True,
fletcher32=True, big-endian float32/float64, a user-defined fill value on never-written chunks, and Keras-style
null-padded fixed-length string attributes. Needs Debian's python3-h5py (or any h5py); run from this folder:

    python3 h5py_extras.py
"""
import json
import math
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "RnnGen.Formats.Tests", "Fixtures", "generated")


def values(n, salt):
    return np.array([100 * math.sin(0.1 * i + salt) + i * 0.25 for i in range(n)], dtype=np.float32)


def main():
    path = os.path.join(OUT, "h5py_extras.h5")
    expected = {"datasets": {}, "attributes": {}, "hdf5_version": h5py.version.hdf5_version}
    with h5py.File(path, "w", libver="earliest") as f:
        def record(name, data):
            expected["datasets"][name] = {"shape": list(data.shape), "values": [float(v) for v in data.astype(np.float32).ravel()]}

        # Compact layout: the data lives in the object header.
        data = values(12, 1).reshape(3, 4)
        space = h5py.h5s.create_simple((3, 4))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        h5py.h5d.create(f.id, b"compact", h5py.h5t.IEEE_F32LE, space, dcpl=dcpl).write(h5py.h5s.ALL, h5py.h5s.ALL, data)
        record("compact", data)

        # The filter chain h5py builds: shuffle, deflate, fletcher32 (applied in that order on write).
        data = values(37 * 11, 2).reshape(37, 11)
        f.create_dataset("shuffle_deflate_fletcher", data=data, chunks=(4, 3), compression="gzip", compression_opts=6, shuffle=True, fletcher32=True)
        record("shuffle_deflate_fletcher", data)
        data = values(200, 3).astype(np.float64)
        f.create_dataset("shuffle_deflate_f64", data=data, chunks=(16,), compression="gzip", shuffle=True)
        record("shuffle_deflate_f64", data)

        # Big-endian storage.
        data = values(20, 4).reshape(4, 5)
        f.create_dataset("big_endian_f32", data=data.astype(">f4"))
        record("big_endian_f32", data)
        f.create_dataset("big_endian_f64_chunked", data=data.astype(">f8"), chunks=(2, 5), compression="gzip")
        record("big_endian_f64_chunked", data)

        # A fill value on chunks never written.
        ds = f.create_dataset("fill_value", shape=(10,), maxshape=(None,), chunks=(4,), dtype="<f4", fillvalue=-7.5)
        ds[0:3] = values(3, 5)
        filled = np.full(10, -7.5, dtype=np.float32)
        filled[0:3] = values(3, 5)
        record("fill_value", filled)

        # Keras's own attribute encoding: np.array of bytes -> null-padded fixed-length strings.
        names = [b"bidirectional/forward_lstm/kernel:0", b"dense/bias:0"]
        f.attrs["weight_names"] = np.array(names)
        expected["attributes"]["/@weight_names"] = [n.decode() for n in names]

    # libver latest: chunks allocated early without filters use the implicit index (no index structure at all:
    # chunk i at address + i * chunk size), and one filtered chunk the single-chunk index with its stored size.
    latest = {}
    with h5py.File(os.path.join(OUT, "h5py_latest.h5"), "w", libver="latest") as f:
        data = values(6 * 10, 6).reshape(6, 10)
        space = h5py.h5s.create_simple((6, 10))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((4, 3))
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        h5py.h5d.create(f.id, b"implicit", h5py.h5t.IEEE_F32LE, space, dcpl=dcpl).write(h5py.h5s.ALL, h5py.h5s.ALL, data)
        latest["implicit"] = {"shape": [6, 10], "values": [float(v) for v in data.ravel()]}
        data = values(24, 7).reshape(4, 6)
        f.create_dataset("single_filtered", data=data, chunks=(4, 6), compression="gzip", shuffle=True)
        latest["single_filtered"] = {"shape": [4, 6], "values": [float(v) for v in data.ravel()]}
    expected["latest"] = latest

    with open(os.path.join(OUT, "expected_h5py_extras.json"), "w") as out:
        json.dump(expected, out)

    # Keras files whose weights are stored as h5py writes them for create_dataset(..., chunks=..., compression="gzip",
    # shuffle=True): the same groups, attributes and values as the generate.mjs files (whose expected_*.json apply),
    # every weight dataset chunked (several chunks each) through the shuffle + deflate chain.
    rechunk("keras2_stack_model.h5", "keras2_stack_chunked_model.h5", "earliest")
    rechunk("keras3_stack.weights.h5", "keras3_stack_chunked.weights.h5", "latest")


def rechunk(source, target, libver):
    with h5py.File(os.path.join(OUT, source), "r") as src, h5py.File(os.path.join(OUT, target), "w", libver=libver) as dst:
        def copy_attributes(a, b):
            for name in a.attrs:
                b.attrs.create(name, a.attrs[name], dtype=a.attrs.get_id(name).dtype)

        def copy(a, b):
            copy_attributes(a, b)
            for name, item in a.items():
                if isinstance(item, h5py.Group):
                    copy(item, b.create_group(name))
                else:
                    data = item[()]
                    chunks = tuple(max(1, (d + 1) // 2) for d in data.shape) if data.ndim else None
                    if chunks is None:
                        b.create_dataset(name, data=data)
                    else:
                        b.create_dataset(name, data=data, chunks=chunks, compression="gzip", compression_opts=6, shuffle=True)
                    copy_attributes(item, b[name])

        copy(src, dst)


if __name__ == "__main__":
    main()
