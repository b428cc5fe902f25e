//===- CompilerCAPI.cpp - the compiler's C API ----------------------------===//
//
// The compiler's C API over the driver: one MLIR context per call, every
// diagnostic collected as text, nothing printed.
//
//===----------------------------------------------------------------------===//

#include "strata-c/Compiler.h"

#include "driver/Compiler.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <new>

struct strata_compile_result {
  bool ok = false;
  std::vector<uint8_t> artifact;
  std::string diagnostics;
};

void strata_compile_options_init(strata_compile_options_t *options) {
  if (!options)
    return;
  *options = strata_compile_options_t{};
  options->struct_size = sizeof(*options);
  options->target = "cpu";
  options->opt_level = 2;
}

strata_compile_result_t
strata_compile(const void *model, size_t size, strata_model_format_t format,
               const strata_compile_options_t *options) {
  auto *result = new (std::nothrow) strata_compile_result;
  if (!result)
    return nullptr;
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  // As strata-compile: no IR of the op an error was emitted on.
  context.printOpOnDiagnostic(false);
  llvm::raw_string_ostream diagnostics(result->diagnostics);
  // One "file:line:col: severity: message" line per diagnostic and note;
  // an imported op's place is its model file under its node's name.
  auto print = [&](mlir::Location loc, mlir::DiagnosticSeverity severity,
                   const mlir::Diagnostic &diag) {
    auto named = llvm::dyn_cast<mlir::NameLoc>(loc);
    if (named)
      loc = named.getChildLoc();
    if (auto fileLoc = llvm::dyn_cast<mlir::FileLineColLoc>(loc))
      diagnostics << fileLoc.getFilename().getValue() << ":"
                  << fileLoc.getLine() << ":" << fileLoc.getColumn() << ": ";
    diagnostics << (severity == mlir::DiagnosticSeverity::Error ? "error: "
                    : severity == mlir::DiagnosticSeverity::Warning
                        ? "warning: "
                        : "note: ");
    if (named)
      diagnostics << "in '" << named.getName().getValue() << "': ";
    diagnostics << diag << "\n";
  };
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    print(diag.getLocation(), diag.getSeverity(), diag);
    for (const mlir::Diagnostic &note : diag.getNotes())
      print(note.getLocation(), note.getSeverity(), note);
    return mlir::success();
  });
  mlir::strata::CompileOptions compileOptions;
  if (options) {
    if (options->struct_size < sizeof(strata_compile_options_t)) {
      diagnostics << "error: options->struct_size is " << options->struct_size
                  << ", expected " << sizeof(strata_compile_options_t)
                  << " (call strata_compile_options_init)\n";
      return result;
    }
    if (options->target)
      compileOptions.target = options->target;
    if (options->opt_level < 0) {
      diagnostics << "error: optimization level " << options->opt_level
                  << " is not in 0..3\n";
      return result;
    }
    compileOptions.optLevel = options->opt_level;
  }
  // The enum comes from C, so any 32-bit value may arrive.
  int formatValue = static_cast<int>(format);
  if (formatValue < STRATA_MODEL_ONNX || formatValue > STRATA_MODEL_SCALESIM) {
    diagnostics << "error: unknown model format " << formatValue << "\n";
    return result;
  }
  auto modelFormat = static_cast<mlir::strata::ModelFormat>(formatValue);
  llvm::StringRef bytes(static_cast<const char *>(model), model ? size : 0);
  mlir::FailureOr<std::vector<uint8_t>> artifact = mlir::strata::compileModel(
      context, bytes, /*path=*/"", modelFormat, compileOptions);
  if (mlir::succeeded(artifact)) {
    result->ok = true;
    result->artifact = std::move(*artifact);
  }
  return result;
}

int strata_compile_result_ok(strata_compile_result_t result) {
  return result && result->ok;
}

const void *strata_compile_result_data(strata_compile_result_t result,
                                       size_t *size) {
  if (!result || !result->ok) {
    if (size)
      *size = 0;
    return nullptr;
  }
  if (size)
    *size = result->artifact.size();
  return result->artifact.data();
}

const char *strata_compile_result_diagnostics(strata_compile_result_t result) {
  return result ? result->diagnostics.c_str() : "";
}

void strata_compile_result_free(strata_compile_result_t result) {
  delete result;
}
