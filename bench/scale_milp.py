"""Native HiGHS through scipy.optimize.milp for bench/scale.ts.

stdin: {"warmup": bool, "options": {...}, "problems": [{"radix": [...], "values": [[...]], "limits": [{"weights": [[...]], "cap": x}]}]}
stdout: {"scipy": version, "results": [{"genome": [...] | null, "ms": t, "status": s}]}
Only the milp call is timed, so building the matrices is not charged to HiGHS.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


def build(p):
    radix = p["radix"]
    offsets = np.cumsum([0] + radix)
    n = int(offsets[-1])
    # milp minimises, the problems maximise.
    c = -np.concatenate([np.asarray(row, dtype=float) for row in p["values"]])
    rows, cols, data = [], [], []
    for i, r in enumerate(radix):
        for a in range(r):
            rows.append(i)
            cols.append(offsets[i] + a)
            data.append(1.0)
    choose = csr_matrix((data, (rows, cols)), shape=(len(radix), n))
    weights = np.array([np.concatenate([np.asarray(row, dtype=float) for row in l["weights"]]) for l in p["limits"]])
    caps = np.array([l["cap"] for l in p["limits"]])
    constraints = [LinearConstraint(choose, 1, 1), LinearConstraint(weights, -np.inf, caps)]
    return c, constraints, offsets, n


def solve(p, options):
    c, constraints, offsets, n = build(p)
    t0 = time.perf_counter()
    res = milp(c, integrality=np.ones(n), bounds=Bounds(0, 1), constraints=constraints, options=options)
    ms = (time.perf_counter() - t0) * 1000
    if res.x is None:
        return {"genome": None, "ms": ms, "status": int(res.status)}
    x = res.x
    genome = [int(np.argmax(x[offsets[i]:offsets[i + 1]])) for i in range(len(p["radix"]))]
    return {"genome": genome, "ms": ms, "status": int(res.status)}


def main():
    job = json.load(sys.stdin)
    options = job.get("options", {})
    if job.get("warmup") and job["problems"]:
        solve(job["problems"][0], options)
    results = [solve(p, options) for p in job["problems"]]
    json.dump({"scipy": scipy.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
