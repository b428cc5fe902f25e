"""Inputs and numpy references for index-out-of-range.mlir: indices inside
and outside [-size, size), clamped for reads, dropping updates for writes."""
import sys

import numpy as np

out = sys.argv[1]
x = np.random.default_rng(0).standard_normal((4, 5), dtype=np.float32)
rows = np.array([0, -1, 3, 4, -5, 1 << 40], dtype=np.int64)
cols = np.array([[0, 5], [-6, -1], [2, 2**31 - 1], [-(2**31), 4]], dtype=np.int32)
pairs = np.array([[1, 2], [4, 0], [-1, -1 - (1 << 50)]], dtype=np.int64)
u = np.array([10, 20, 30], dtype=np.float32)


def index(i, size):
    """The clamped position and whether i was in range."""
    i = int(i)
    wrapped = i + size if i < 0 else i
    return min(max(wrapped, 0), size - 1), 0 <= wrapped < size


gather = x[[index(i, 4)[0] for i in rows]]
elements = np.array([[x[r, index(c, 5)[0]] for c in cols[r]] for r in range(4)])
nd = np.array([x[index(a, 4)[0], index(b, 5)[0]] for a, b in pairs])
scattered = x.copy()
for r in range(4):
    for j in range(2):
        c, valid = index(cols[r, j], 5)
        if valid:
            scattered[r, c] += elements[r, j]
written = x.copy()
for (a, b), value in zip(pairs, u):
    (ra, va), (rb, vb) = index(a, 4), index(b, 5)
    if va and vb:
        written[ra, rb] = value

for name, array in dict(x=x, rows=rows, cols=cols, pairs=pairs, u=u,
                        gather=gather, elements=elements, nd=nd,
                        scattered=scattered, written=written).items():
    np.save(f"{out}/{name}.npy", array)
