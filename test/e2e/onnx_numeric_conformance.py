#!/usr/bin/python3
"""Compiles every model of ONNX's backend test data and checks its numbers.

For each model: strata-compile --target=TARGET, then strata-run on every
test_data_set_N with --expected-output for each reference output, under a
tolerance chosen from the output dtypes (below). One line per model: PASS,
SKIP (the importer rejects it with "not supported", or its outputs are
random, so it is compiled and run but its values are not compared) or FAIL
with the first line of the reason. Closes with "N passed, N failed, N skipped".

Inputs that must be constants at compile time (a Reshape's shape, ...) are
bound with --bind-input the same way the import conformance run does.

For vulkan, every SPIR-V module of the artifact must also pass spirv-val
(--target-env vulkan1.1), and the runs use the Khronos validation layer
where the environment sets STRATA_VULKAN_VALIDATION=1 (ctest does).

With --assemble=ARCH,... (cuda, for machines without a GPU) each model is
compiled once per architecture and its PTX assembled by ptxas for it;
nothing runs, and PASS means every architecture assembled.

--coverage FILE replaces the target's "Numerical results" section of
docs/onnx-coverage.md (for --assemble, a section of its own). Exits non-zero when fewer than --min-pass pass.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import onnx
import onnx.numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_import_conformance as conformance  # noqa: E402

# (rtol, atol) per output element type: ONNX's backend tests use rtol 1e-3;
# narrow floats get more room, integers and booleans must match exactly.
TOLERANCES = {
    onnx.TensorProto.FLOAT: (1e-3, 1e-5),
    onnx.TensorProto.DOUBLE: (1e-6, 1e-9),
    onnx.TensorProto.FLOAT16: (1e-2, 1e-3),
    onnx.TensorProto.BFLOAT16: (2e-2, 1e-2),
}
SECTION = "## Numerical results"


# Ops whose outputs are random draws: ONNX's reference values come from
# numpy's generator, which nothing else reproduces.
RANDOM_OPS = {"Bernoulli", "Multinomial", "RandomNormal", "RandomNormalLike",
              "RandomUniform", "RandomUniformLike"}


def is_random(model, bound_files):
    """Whether the model draws random numbers: a random op, or a Dropout
    whose training_mode input is bound to true."""
    for node in model.graph.node:
        if node.op_type in RANDOM_OPS:
            return True
        if (node.op_type == "Dropout" and len(node.input) > 2 and
                node.input[2] in bound_files and
                onnx.numpy_helper.to_array(
                    onnx.load_tensor(bound_files[node.input[2]])).any()):
            return True
    return False


def tolerance(model):
    rtol, atol = 0.0, 0.0
    for output in model.graph.output:
        r, a = TOLERANCES.get(output.type.tensor_type.elem_type, (0.0, 0.0))
        rtol, atol = max(rtol, r), max(atol, a)
    return rtol, atol


def tensor_file(path, elem_type, workdir):
    """`path`, or a copy retyped as bfloat16: ONNX's test data stores
    bfloat16 tensors as their uint16 bits (numpy has no bfloat16)."""
    if elem_type != onnx.TensorProto.BFLOAT16:
        return path
    tensor = onnx.load_tensor(path)
    if tensor.data_type != onnx.TensorProto.UINT16:
        return path
    tensor.data_type = onnx.TensorProto.BFLOAT16
    copy = os.path.join(workdir, "bf16_" + os.path.basename(path))
    onnx.save_tensor(tensor, copy)
    return copy


def first_error(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    errors = [l for l in lines if "error" in l]
    return (errors or lines or [""])[0].strip()


def compile_model(tools, path, flags):
    """Runs strata-compile; returns an error line, or "" on success."""
    try:
        proc = subprocess.run([tools["compile"], path] + flags,
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return "compile timed out after 300 s"
    if proc.returncode < 0:
        return f"compiler crashed with signal {-proc.returncode}"
    if proc.returncode != 0:
        return "compile: " + first_error(proc.stderr)
    return ""


def plan_model(tools, target, path, workdir, flags=()):
    """Imports the model and compiles it for `target` with `flags` into
    workdir/model.strata. Returns (status, why, plan): on PASS, plan holds
    the artifact, whether its outputs are random, and per test data set
    the strata-run arguments after the artifact and device (inputs,
    expected outputs unless random, tolerances)."""
    status, why = conformance.import_model(tools["translate"], path)
    if status != "PASS":
        return status, why, None
    bound = why[len("bound: "):].split(", ") if why.startswith("bound:") else []
    model = onnx.load(path, load_external_data=False)
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    data_sets = sorted(glob.glob(os.path.join(os.path.dirname(path),
                                              "test_data_set_*")))
    if not data_sets:
        return "SKIP", "no test data", None
    artifact = os.path.join(workdir, "model.strata")
    bound_files = {name: os.path.join(
        data_sets[0], f"input_{inputs.index(name)}.pb") for name in bound}
    error = compile_model(tools, path, [f"--target={target}", "-o", artifact] +
                          [f"--bind-input={name}={pb}"
                           for name, pb in bound_files.items()] + list(flags))
    if error:
        return "FAIL", error, None
    rtol, atol = tolerance(model)
    random = is_random(model, bound_files)
    types = {i.name: i.type.tensor_type.elem_type
             for i in list(model.graph.input) + list(model.graph.output)}
    runs = []
    for data in data_sets:
        args = [f"--rtol={rtol}", f"--atol={atol}"]
        args += ["--input=@" + tensor_file(
                     os.path.join(data, f"input_{i}.pb"), types[name], workdir)
                 for i, name in enumerate(inputs) if name not in bound]
        outputs = sorted(glob.glob(os.path.join(data, "output_*.pb")),
                         key=lambda p: int(p.rsplit("_", 1)[1][:-3]))
        if not random:
            args += ["--expected-output=@" + tensor_file(
                         o, model.graph.output[i].type.tensor_type.elem_type,
                         workdir)
                     for i, o in enumerate(outputs)]
        runs.append(args)
    return "PASS", "", {"artifact": artifact, "random": random, "runs": runs}


def run_plan(run_tool, device, plan, timeout=300):
    """Runs every data set of `plan` on `device`; returns (status, why)."""
    for args in plan["runs"]:
        try:
            run = subprocess.run(
                [run_tool, plan["artifact"], f"--device={device}", "--quiet"] +
                args, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "FAIL", f"run timed out after {timeout} s"
        if run.returncode != 0:
            if run.returncode < 0:
                return "FAIL", f"run crashed with signal {-run.returncode}"
            return "FAIL", "run: " + first_error(run.stderr + run.stdout)
    if plan["random"]:
        return "SKIP", "random outputs: compiled and ran, values not compared"
    return "PASS", ""


def check_model(tools, target, path, workdir):
    for arch in tools["assemble"]:
        status, why, plan = plan_model(
            tools, target, path, workdir, [f"--target-option=cuda-arch={arch}"])
        if status != "PASS":
            return status, (f"{arch}: {why}" if status == "FAIL" else why)
        invalid = blob_errors(plan["artifact"], workdir, "ptx",
                              [tools["ptxas"], f"-arch={arch}", "-o",
                               os.devnull])
        if invalid:
            return "FAIL", f"ptxas -arch={arch}: {invalid}"
    if tools["assemble"]:
        return "PASS", ""
    status, why, plan = plan_model(tools, target, path, workdir)
    if status != "PASS":
        return status, why
    if target == "vulkan":
        invalid = blob_errors(plan["artifact"], workdir, "spirv",
                              ["spirv-val", "--target-env", "vulkan1.1"])
        if invalid:
            return "FAIL", "spirv-val: " + invalid
    return run_plan(tools["run"], target, plan)


def have_ptxas(ptxas):
    """Whether `ptxas` runs; says why not (the caller then skips)."""
    if shutil.which(ptxas):
        return True
    print(f"SKIP: no ptxas at '{ptxas}': the CUDA toolkit is not installed, "
          "so the PTX cannot be assembled here")
    return False


def blob_errors(artifact, workdir, blob_format, command):
    """The first complaint of `command` (spirv-val, ptxas) about an
    executable of `artifact` in `blob_format`, given as its last argument
    (docs/artifact-format.md: the manifest's offset and size are at bytes
    16 and 24 of the header; blobs sit at absolute offsets), or ""."""
    with open(artifact, "rb") as f:
        data = f.read()
    offset, size = struct.unpack_from("<QQ", data, 16)
    manifest = json.loads(data[offset:offset + size])
    for executable in manifest["executables"]:
        blob = manifest["blobs"][executable["blob"]]
        # An executable without kernels is an empty blob.
        if executable["format"] != blob_format or not blob["size"]:
            continue
        path = os.path.join(workdir, "kernels." + blob_format)
        with open(path, "wb") as f:
            f.write(data[blob["offset"]:blob["offset"] + blob["size"]])
        proc = subprocess.run(command + [path], capture_output=True, text=True)
        if proc.returncode != 0:
            return first_error(proc.stderr + proc.stdout)
    return ""


def write_section(path, target, results, archs):
    """Rewrites the numerical results of `target`, a section of its own after
    the import results; the other targets' sections stay. With `archs`, the
    section is the target's PTX assembled for them."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head, _, tail = text.partition("\n" + SECTION)
    sections = {}
    for part in ("\n" + SECTION + tail).split("\n" + SECTION)[1:]:
        name = part.split("\n", 1)[0].strip(" ()") or "cpu"
        sections[name] = SECTION + part.rstrip("\n")
    if archs:
        target = f"{target} PTX, not run"
        lines = [f"{SECTION} ({target})", "",
                 "Generated by `test/e2e/onnx_numeric_conformance.py "
                 f"--target=cuda --assemble={','.join(archs)} --coverage`:",
                 "each model compiled for each architecture and its PTX",
                 "assembled by `ptxas -arch=ARCH`. Nothing ran: \"correct\"",
                 "here means compiled and assembled for every architecture."]
    else:
        lines = [f"{SECTION} ({target})", "",
                 "Generated by `test/e2e/onnx_numeric_conformance.py "
                 "--coverage`:",
                 f"each model compiled for `{target}` and run on every test "
                 "data",
                 "set against the reference outputs (float32 rtol 1e-3 atol "
                 "1e-5,",
                 "float16 rtol 1e-2 atol 1e-3, integers and booleans exact)."]
    if target == "vulkan":
        lines += ["Every SPIR-V module passes spirv-val, and the runs use the",
                  "Khronos validation layer (STRATA_VULKAN_VALIDATION=1) on",
                  "Mesa's lavapipe."]
    lines.append("")
    for suite in conformance.SUITES + [None]:
        picked = [status for name, (status, _) in results.items()
                  if suite is None or name.startswith(suite + "/")]
        counts = collections.Counter(picked)
        lines.append(f"- {target}, {suite or 'all suites'}: {counts['PASS']} "
                     f"correct, {counts['FAIL']} failed, {counts['SKIP']} "
                     f"skipped of {len(picked)} models")
    lines += ["", f"### Failures on {target}", ""]
    for name, (status, why) in sorted(results.items()):
        if status == "FAIL":
            why = why.replace("|", "\\|")
            lines.append(f"- `{name}`: {why}")
    sections[target] = "\n".join(lines)
    body = "\n\n".join(sections[name] for name in sorted(sections))
    with open(path, "w", encoding="utf-8") as f:
        f.write(head.rstrip("\n") + "\n\n" + body + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translate", required=True)
    parser.add_argument("--compile", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--target", default="cpu")
    parser.add_argument("--data", default="/usr/share/libonnx-testdata/data")
    parser.add_argument("--coverage")
    parser.add_argument("--min-pass", type=int, default=0)
    parser.add_argument("--filter", default="",
                        help="only models whose name contains this")
    parser.add_argument("--assemble", default="",
                        help="cuda: compile for these architectures "
                             "(comma-separated) and assemble with ptxas; "
                             "run nothing")
    parser.add_argument("--ptxas", default="ptxas",
                        help="the ptxas that --assemble uses")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    tools = {"translate": args.translate, "compile": args.compile,
             "run": args.run,
             "assemble": [a for a in args.assemble.split(",") if a],
             "ptxas": args.ptxas}
    if tools["assemble"] and not have_ptxas(args.ptxas):
        return 77

    models = []
    for suite in conformance.SUITES:
        root = os.path.join(args.data, suite)
        for test in sorted(os.listdir(root)):
            path = os.path.join(root, test, "model.onnx")
            name = f"{suite}/{test}"
            if os.path.exists(path) and args.filter in name:
                models.append((name, path))

    with tempfile.TemporaryDirectory(prefix="strata-e2e-") as tmp:
        def check(index, path):
            workdir = os.path.join(tmp, str(index))
            os.makedirs(workdir)
            return check_model(tools, args.target, path, workdir)

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futures = {name: pool.submit(check, i, path)
                       for i, (name, path) in enumerate(models)}
            results = {}
            for name, _ in models:
                results[name] = futures[name].result()
                status, why = results[name]
                print(f"{status} {name}" + (f": {why}" if why else ""),
                      flush=True)
    if args.coverage:
        write_section(args.coverage, args.target, results, tools["assemble"])
    counts = collections.Counter(status for status, _ in results.values())
    print(f"{counts['PASS']} passed, {counts['FAIL']} failed, "
          f"{counts['SKIP']} skipped")
    if counts["PASS"] < args.min_pass:
        print(f"error: {counts['PASS']} models are correct on {args.target}, "
              f"fewer than the required {args.min_pass}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
