#!/usr/bin/python3
"""1024^3 f32 matmul: Strata's GFLOP/s as a share of one core's peak.

Prints the host's cpu and vector ISA and one core's peak for each vector
width it runs (peak.c), then, for each strata build worth timing here (the
host's own and, on AVX-512, also the AVX2 one), compiles a strata.matmul
model for that cpu, checks its result against numpy, times it with
strata-run --benchmark on one thread and prints GFLOP/s and the share of
the peak at that build's vector width.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

import host


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="Strata build dir")
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    tools = os.path.join(args.build, "bin")
    n = args.size
    with tempfile.TemporaryDirectory() as tmp:
        flags, peaks = host.header(tmp)
        model = os.path.join(tmp, "matmul.mlir")
        with open(model, "w") as f:
            f.write(host.MATMUL.format(n=n))
        rng = np.random.default_rng(0)
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        paths = [os.path.join(tmp, f"{x}.npy") for x in "abc"]
        np.save(paths[0], a)
        np.save(paths[1], b)
        np.save(paths[2], (a.astype(np.float64) @ b.astype(np.float64))
                .astype(np.float32))
        for label, cpu, width in host.builds(flags):
            artifact = os.path.join(tmp, f"matmul-{label}.strata")
            subprocess.run([os.path.join(tools, "strata-compile"), model,
                            "-O3", f"--target-option=cpu={cpu}", "-o",
                            artifact], check=True)
            run = [os.path.join(tools, "strata-run"), artifact,
                   f"--input=@{paths[0]}", f"--input=@{paths[1]}",
                   "--threads=1"]
            subprocess.run(run + [f"--expected-output=@{paths[2]}",
                                  "--rtol=1e-3", "--atol=1e-2", "--quiet"],
                           check=True)
            out = subprocess.run(run + [f"--benchmark={args.runs}", "--quiet"],
                                 capture_output=True, text=True,
                                 check=True).stdout
            median_ms = float(re.search(r"median latency: ([0-9.]+) ms",
                                        out)[1])
            gflops = 2.0 * n ** 3 / (median_ms * 1e-3) / 1e9
            share = (f", {100 * gflops / peaks[width]:.0f}% of the "
                     f"{width}-bit peak" if width in peaks else "")
            print(f"strata matmul {n}x{n}x{n} f32, cpu={label}: "
                  f"{median_ms:.2f} ms, {gflops:.1f} GFLOP/s{share}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
