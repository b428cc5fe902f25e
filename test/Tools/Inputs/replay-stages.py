"""Replays strata-compile's stages with strata-opt.

Reads DIR/pipelines.txt, which --dump-stages writes (one line per stage:
the dump's file name and the pass pipeline that made it), runs strata-opt
with each pipeline on the previous stage's dump, and checks that the
output is that stage's dump, byte for byte. Prints one line per stage and
exits 1 at the first difference.
"""
import subprocess
import sys


def main(strata_opt, stages):
    with open(f"{stages}/pipelines.txt") as f:
        lines = [line.rstrip("\n").split(" ", 1) for line in f if line.strip()]
    previous = "0-imported.mlir"
    for name, pipeline in lines:
        replay = subprocess.run(
            [strata_opt, f"{stages}/{previous}", f"--pass-pipeline={pipeline}"],
            capture_output=True, text=True)
        if replay.returncode != 0:
            print(f"{name}: strata-opt failed:\n{replay.stderr}")
            return 1
        with open(f"{stages}/{name}") as f:
            expected = f.read()
        if replay.stdout != expected:
            print(f"{name}: the replay differs from the dump")
            return 1
        print(f"{name}: replayed")
        previous = name
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
