#!/usr/bin/env python3
"""Times the systolic target on a SCALE-Sim topology against SCALE-Sim.

Compiles TOPOLOGY (a SCALE-Sim CSV) for the systolic array of CONFIG (a
SCALE-Sim .cfg), runs it on the simulator with random inputs, which
computes every layer's numbers and times every instruction, and prints
the wall time of each step, the simulated cycles, and the ratio against
SCALE-Sim's wall time for the same topology and config. SCALE-Sim cannot
run here (no network to install it), so its time is given: --peer-seconds,
by default the 660 s (about 11 minutes) the reference data records for
ResNet-18 on a 32x32 array (../shared/reference/systolic/README.md).

  bench/systolic.py --build build TOPOLOGY.csv CONFIG.cfg [--peer-seconds S]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time


def timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return elapsed, result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("topology")
    parser.add_argument("config")
    parser.add_argument("--build", default="build")
    parser.add_argument("--peer-seconds", type=float, default=660.0)
    args = parser.parse_args()
    bin_dir = os.path.join(args.build, "bin")
    with tempfile.TemporaryDirectory() as tmp:
        artifact = os.path.join(tmp, "topology.strata")
        compile_s, _ = timed([os.path.join(bin_dir, "strata-compile"),
                              args.topology, "--target=systolic",
                              f"--systolic-config={args.config}",
                              "-o", artifact])
        run_s, table = timed([os.path.join(bin_dir, "strata-run"), artifact,
                              "--random-inputs"])
        size = os.path.getsize(artifact)
    total = re.search(r"^total\s+(\d+)", table, re.M)
    if not total:
        sys.exit("strata-run printed no per-layer table")
    both = compile_s + run_s
    print(f"topology {os.path.basename(args.topology)}, "
          f"config {os.path.basename(args.config)}")
    print(f"compile {compile_s:.2f} s (artifact {size / 1e6:.1f} MB), "
          f"run {run_s:.2f} s (numbers and cycles), "
          f"simulated cycles {int(total.group(1))}")
    print(f"SCALE-Sim (given) {args.peer_seconds:.0f} s: "
          f"{args.peer_seconds / both:.0f}x faster (compile and run)")


if __name__ == "__main__":
    main()
