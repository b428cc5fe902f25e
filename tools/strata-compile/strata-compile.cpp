//===- strata-compile.cpp - model to .strata artifact ---------------------===//
//
//   strata-compile MODEL(.onnx|.json|.mlir) --target=cpu -O2 -o out.strata
//
// MLIR's printing and timing flags (--mlir-print-ir-after-all,
// --mlir-timing, ...) apply to every stage; --dump-stages=DIR writes the IR
// between stages and, in pipelines.txt, the pipeline that replays each.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/Transforms/Passes.h"
#include "driver/Compiler.h"
#include "passes/Passes.h"
#include "runtime/artifact/Artifact.h"
#include "targets/TargetBackend.h"
#include "tools/Help.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory strataOptions("Strata options");
static cl::OptionCategory mlirOptions(
    "MLIR options, for every stage (all others: --help-hidden)");

static cl::opt<std::string>
    inputFile(cl::Positional, cl::Required,
              cl::desc("<model .onnx|.json|.mlir, or ->"),
              cl::cat(strataOptions));
static cl::opt<std::string>
    outputFile("o", cl::Required, cl::desc("Artifact to write ('-': stdout)"),
               cl::value_desc("file"), cl::cat(strataOptions));
static cl::opt<std::string>
    targetName("target", cl::init("cpu"),
               cl::desc("Target to compile for (cpu, cuda, null, systolic, "
                        "vulkan), or "
                        "one per device slot "
                        "(cpu,null)"),
               cl::cat(strataOptions));
static cl::list<std::string>
    placeSteps("place",
               cl::desc("Run the steps whose name starts with STEP on device "
                        "slot SLOT of --target's list"),
               cl::value_desc("STEP=SLOT"), cl::cat(strataOptions));
static cl::list<std::string>
    targetOptions("target-option",
                  cl::desc("An option of the target, e.g. cpu=x86-64-v3 "
                           "(docs/compiler.md lists them)"),
                  cl::value_desc("KEY=VALUE"), cl::cat(strataOptions));
static cl::opt<std::string> systolicConfig(
    "systolic-config",
    cl::desc("The systolic array's configuration (a SCALE-Sim .cfg or Strata "
             "JSON file); short for --target-option=systolic-config=FILE"),
    cl::value_desc("FILE"), cl::cat(strataOptions));
static cl::opt<unsigned> optLevel("O", cl::Prefix, cl::init(2),
                                  cl::desc("Optimization level, -O0 to -O3"),
                                  cl::cat(strataOptions));
static cl::opt<std::string>
    formatName("format",
               cl::desc("Model format when the file name does not say: "
                        "onnx, json, mlir or scalesim (a topology CSV)"),
               cl::cat(strataOptions));
static cl::opt<std::string>
    dumpStages("dump-stages", cl::desc("Write the IR after each stage here"),
               cl::value_desc("dir"), cl::cat(strataOptions));
static cl::opt<bool>
    timeStages("time-stages",
               cl::desc("Print the wall time of each stage to stderr"),
               cl::cat(strataOptions));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static shape for a dynamic ONNX input, e.g. "
                         "x=1x3x224x224"),
                cl::value_desc("NAME=DIMS"), cl::cat(strataOptions));
static cl::list<std::string> bindInputs(
    "bind-input",
    cl::desc("Compile ONNX input NAME as a constant: a literal (i64=16000, "
             "2x2xf32=1,2,3,4), @file.npy or @file.pb"),
    cl::value_desc("NAME=VALUE"), cl::cat(strataOptions));

static std::optional<mlir::strata::ModelFormat> chooseFormat() {
  if (formatName == "onnx")
    return mlir::strata::ModelFormat::ONNX;
  if (formatName == "json")
    return mlir::strata::ModelFormat::JSON;
  if (formatName == "mlir")
    return mlir::strata::ModelFormat::MLIR;
  if (formatName == "scalesim")
    return mlir::strata::ModelFormat::ScaleSimTopology;
  return std::nullopt;
}

static const char *kindName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  llvm_unreachable("unknown severity");
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // Before the pass manager's flags, so --mlir-print-ir-after=PASS can name
  // the project's passes.
  mlir::strata::registerStrataTransformsPasses();
  mlir::strata::registerStrataConversionPasses();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  mlir::strata::tools::addToCategory(
      mlirOptions,
      {"mlir-print-ir-after-all", "mlir-print-ir-before-all",
       "mlir-print-ir-after-change", "mlir-print-ir-after-failure",
       "mlir-print-debuginfo", "mlir-elide-elementsattrs-if-larger",
       "mlir-timing", "mlir-pass-statistics"});
  mlir::strata::tools::hideOtherOptions({&strataOptions, &mlirOptions});
  cl::ParseCommandLineOptions(argc, argv, "Strata model compiler\n");

  auto fail = [](const llvm::Twine &message) {
    llvm::errs() << "strata-compile: error: " << message << "\n";
    return 1;
  };
  llvm::SmallVector<llvm::StringRef> targets;
  llvm::StringRef(targetName).split(targets, ',');
  for (llvm::StringRef target : targets)
    if (!mlir::strata::lookupTargetBackend(target))
      return fail("unknown target '" + target + "' (available: " +
                  llvm::join(mlir::strata::targetBackendNames(), ", ") + ")");
  if (optLevel > 3)
    return fail("-O" + llvm::Twine(optLevel) +
                " is not a level; use -O0 to -O3");
  std::optional<mlir::strata::ModelFormat> format =
      formatName.empty() ? mlir::strata::modelFormatFromPath(inputFile)
                         : chooseFormat();
  if (!format)
    return fail(formatName.empty()
                    ? "cannot tell the format of '" + inputFile +
                          "'; name it .onnx, .json, .mlir or .csv (a SCALE-Sim "
                          "topology), or pass --format"
                    : "unknown --format '" + formatName +
                          "' (expected onnx, json, mlir or scalesim)");

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(inputFile, &error);
  if (!input)
    return fail(error);

  MLIRContext context(MLIRContext::Threading::DISABLED);
  // An error names its place in the model; the IR of the op it was
  // emitted on (a whole module, for some) is not for the tool's users.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  // An importer places each op at its model file under the name of its
  // node: say the name, which the file's "0:0" alone would not. A
  // diagnostic with no place in the model (an option, a target) is the
  // tool's own: "strata-compile: error: ...", as for the flags above.
  auto emit = [&](Location loc, const Diagnostic &diag,
                  DiagnosticSeverity severity) {
    std::string message = diag.str();
    if (auto named = dyn_cast<NameLoc>(loc)) {
      message = ("in '" + named.getName().strref() + "': " + message).str();
      loc = named.getChildLoc();
    }
    if (isa<UnknownLoc>(loc))
      llvm::errs() << "strata-compile: " << kindName(severity) << ": "
                   << message << "\n";
    else
      diagnostics.emitDiagnostic(loc, message, severity);
  };
  ScopedDiagnosticHandler placed(&context, [&](Diagnostic &diag) {
    if (!isa<NameLoc, UnknownLoc>(diag.getLocation()))
      return failure();
    emit(diag.getLocation(), diag, diag.getSeverity());
    for (const Diagnostic &note : diag.getNotes())
      emit(note.getLocation(), note, DiagnosticSeverity::Note);
    return success();
  });

  mlir::strata::CompileOptions options;
  options.target = targetName;
  options.optLevel = optLevel;
  options.dumpStagesDir = dumpStages;
  if (timeStages)
    options.stageTimes = &llvm::errs();
  options.place.assign(placeSteps.begin(), placeSteps.end());
  for (const std::string &flag : targetOptions) {
    auto [key, value] = llvm::StringRef(flag).split('=');
    if (key.empty() || !llvm::StringRef(flag).contains('='))
      return fail("--target-option expects KEY=VALUE, got '" + flag + "'");
    options.targetOptions[key.str()] = value.str();
  }
  if (!systolicConfig.empty())
    options.targetOptions["systolic-config"] = systolicConfig;
  for (const std::string &flag : inputShapes)
    if (!mlir::strata::parseInputShapeFlag(flag, &context, options.onnx))
      return 1;
  for (const std::string &flag : bindInputs) {
    auto [name, value] = llvm::StringRef(flag).split('=');
    if (name.empty() || value.empty())
      return fail("--bind-input expects NAME=VALUE, got '" + flag + "'");
    options.onnx.boundInputs.emplace_back(name.str(), value.str());
  }
  options.configurePassManager = [](PassManager &pm) -> LogicalResult {
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    applyDefaultTimingPassManagerCLOptions(pm);
    return success();
  };

  llvm::StringRef path = inputFile == "-" ? "" : llvm::StringRef(inputFile);
  FailureOr<std::vector<uint8_t>> artifact = mlir::strata::compileModel(
      context, input->getBuffer(), path, *format, options);
  if (failed(artifact))
    return 1;
  if (!::strata::artifact::writeFileAtomically(outputFile, *artifact, &error))
    return fail(error);
  return 0;
}
