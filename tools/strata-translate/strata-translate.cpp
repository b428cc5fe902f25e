//===- strata-translate.cpp - the strata import/export driver -------------===//
//
// mlir-translate for Strata. Each frontend or exporter registers its
// translation (--import-onnx, --import-json, --export-spirv and
// --export-ptx) through a register*Translation() function called below.
// Upstream's mlirTranslateMain crashes when no translation is chosen; this
// driver reports that instead and otherwise follows its conventions (-o, `-`
// for stdin/stdout, no output file left behind on failure).
//
//===----------------------------------------------------------------------===//

#include "frontends/json/JSONImporter.h"
#include "frontends/onnx/ONNXImporter.h"
#include "targets/ptx/ExportPtx.h"
#include "targets/spirv/ExportSpirv.h"
#include "tools/Help.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // Translations must exist before the option that lists them is built.
  strata::registerONNXImportTranslation();
  strata::registerJSONImportTranslation();
  strata::registerSpirvExportTranslation();
  strata::registerPtxExportTranslation();
  static llvm::cl::OptionCategory strataOptions("Strata options");
  static llvm::cl::OptionCategory mlirOptions(
      "MLIR options (all others: --help-hidden)");
  static llvm::cl::opt<std::string> inputFilename(
      llvm::cl::Positional, llvm::cl::desc("<input file>"),
      llvm::cl::init("-"), llvm::cl::cat(strataOptions));
  static llvm::cl::opt<std::string> outputFilename(
      "o", llvm::cl::desc("Output filename"), llvm::cl::value_desc("filename"),
      llvm::cl::init("-"), llvm::cl::cat(strataOptions));
  static llvm::cl::opt<const Translation *, false, TranslationParser>
      translation(llvm::cl::desc("Translation to perform"),
                  llvm::cl::cat(strataOptions));
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerTranslationCLOptions();
  // The importers' own flags are registered with them.
  mlir::strata::tools::addToCategory(
      strataOptions,
      {"onnx-bind-input", "onnx-input-shape", "spirv-kernel", "ptx-kernel"});
  mlir::strata::tools::addToCategory(
      mlirOptions, {"mlir-print-debuginfo", "mlir-elide-elementsattrs-if-larger",
                    "mlir-print-local-scope"});
  mlir::strata::tools::hideOtherOptions({&strataOptions, &mlirOptions});
  llvm::cl::ParseCommandLineOptions(argc, argv, "Strata translation driver\n");
  if (!translation) {
    llvm::errs() << "strata-translate: no translation chosen; see --help for "
                    "the --import-*/--export-* options\n";
    return 1;
  }

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &error);
  if (!input) {
    llvm::errs() << "strata-translate: " << error << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "strata-translate: " << error << "\n";
    return 1;
  }

  MLIRContext context;
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  if (failed((*translation)(sourceMgr, output->os(), &context)))
    return 1;
  output->keep();
  return 0;
}
