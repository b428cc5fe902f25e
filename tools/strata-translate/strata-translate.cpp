//===- strata-translate.cpp - the strata import/export driver -------------===//
//
// mlir-translate for Strata. Frontends and exporters add their translations
// (--import-onnx, --import-json, --export-ptx, ...) by linking a library
// that defines a TranslateToMLIRRegistration or TranslateFromMLIRRegistration;
// this driver itself only parses the command line and runs the chosen one.
//
//===----------------------------------------------------------------------===//

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  return mlir::failed(
             mlir::mlirTranslateMain(argc, argv, "Strata translation driver\n"))
             ? 1
             : 0;
}
