"""What host the benchmarks run on, and which cpu builds they compare.

Shared by matmul.py, models.py and vulkan.py: the matmul they time, the
cpu's name and vector ISA, one
core's measured peak for each vector width the host runs (peak.c built
for that width), and the strata builds worth timing here: the host's own
(--target-option=cpu=native) and, on an AVX-512 host, also the AVX2 build
(cpu=x86-64-v3), so that both code paths are measured wherever possible.
"""

import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))

# An n x n x n f32 matmul in the strata dialect.
MATMUL = """func.func @matmul(%a: tensor<{n}x{n}xf32>, %b: tensor<{n}x{n}xf32>) -> tensor<{n}x{n}xf32> {{
  %0 = strata.matmul %a, %b : (tensor<{n}x{n}xf32>, tensor<{n}x{n}xf32>) -> tensor<{n}x{n}xf32>
  return %0 : tensor<{n}x{n}xf32>
}}
"""

# Compiler flags for peak.c at each vector width.
WIDTH_FLAGS = {256: ["-mavx2", "-mfma"], 512: ["-mavx512f", "-mfma"]}


def cpu_info():
    """(model name, set of cpu flags) from /proc/cpuinfo."""
    name, flags = "unknown cpu", set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and name == "unknown cpu":
                name = value.strip()
            elif key == "flags" and not flags:
                flags = set(value.split())
    return name, flags


def isa(flags):
    """The vector ISA names worth printing, widest last."""
    names = [f for f in ("avx2", "fma", "avx512f", "avx512_vnni",
                         "avx512_bf16", "avx512_fp16", "amx_tile")
             if f in flags]
    return " ".join(names) or "sse only"


def widths(flags):
    """The vector widths this host runs FMAs at."""
    result = []
    if "avx2" in flags and "fma" in flags:
        result.append(256)
    if "avx512f" in flags:
        result.append(512)
    return result


def builds(flags):
    """(label, cpu option, vector width) of each strata build to time."""
    top = max(widths(flags), default=128)
    result = [("native", "native", top)]
    if top == 512:
        result.append(("x86-64-v3", "x86-64-v3", 256))
    return result


def peaks(tmp, flags):
    """One core's peak GFLOP/s for each vector width the host runs."""
    result = {}
    for width in widths(flags):
        exe = os.path.join(tmp, f"peak{width}")
        subprocess.run(["clang-22", "-O2", *WIDTH_FLAGS[width],
                        os.path.join(HERE, "peak.c"), "-o", exe], check=True)
        result[width] = float(subprocess.run(
            [exe], capture_output=True, text=True, check=True).stdout)
    return result


def header(tmp):
    """Prints the host and its peaks; returns (flags, peaks)."""
    name, flags = cpu_info()
    print(f"host: {name}; {isa(flags)}")
    measured = peaks(tmp, flags)
    for width, gflops in measured.items():
        print(f"peak, one core, {width}-bit FMA chains: {gflops:.1f} GFLOP/s")
    return flags, measured
