//===- CpuModel.cpp - the x86-64 cpu the target compiles for --------------===//

#include "targets/cpu/CpuModel.h"

#include "runtime/devices/cpu/CpuFeatures.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

#include <unistd.h>

namespace mlir::strata {

std::string CpuModel::featureString() const {
  // Sorted, so that the target machine and the artifact do not depend on
  // the map's order.
  std::vector<std::string> names;
  for (const auto &feature : features)
    names.push_back((feature.second ? "+" : "-") + feature.first().str());
  llvm::sort(names);
  return llvm::join(names, ",");
}

std::vector<std::string> CpuModel::requiredFeatures() const {
  std::vector<std::string> required;
  for (const char *name : ::strata::runtime::kCheckedCpuFeatures)
    if (features.lookup(name))
      required.push_back(name);
  return required;
}

FailureOr<CpuModel> resolveCpuModel(const TargetOptions &options,
                                    std::string &error) {
  CpuModel model;
  std::string name = options.lookup("cpu", "native");
  if (name == "native") {
    model.cpu = llvm::sys::getHostCPUName().str();
    model.features = llvm::sys::getHostCPUFeatures();
    if (long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE); l2 > 0)
      model.l2Bytes = l2;
  } else {
    if (llvm::X86::parseArchX86(name, /*Only64Bit=*/true) ==
        llvm::X86::CK_None) {
      error = "unknown cpu '" + name +
              "' (use native, x86-64-v2, x86-64-v3, x86-64-v4 or an LLVM "
              "x86-64 cpu name such as skylake-avx512 or znver4)";
      return failure();
    }
    model.cpu = name;
    llvm::SmallVector<llvm::StringRef> enabled;
    llvm::X86::getFeaturesForCPU(name, enabled);
    // The list names the key features; each implies others (avx512vl
    // implies avx512f, avx2 implies avx, ...).
    for (llvm::StringRef feature : enabled) {
      model.features[feature] = true;
      llvm::X86::updateImpliedFeatures(feature, true, model.features);
    }
    // Say "-" for the checked features the cpu lacks, as the host list
    // does, so that no default of LLVM's turns one on.
    for (const char *feature : ::strata::runtime::kCheckedCpuFeatures)
      model.features.try_emplace(feature, false);
  }
  bool avx512 = model.features.lookup("avx512f");
  unsigned widest = avx512 ? 512 : model.features.lookup("avx") ? 256 : 128;
  model.vectorBits = widest;
  auto bits = options.options.find("vector-bits");
  if (bits != options.options.end()) {
    unsigned asked = std::stoul(bits->second);
    if (asked > widest) {
      error = "vector-bits=" + bits->second + " is wider than cpu '" +
              model.cpu + "' has (" + std::to_string(widest) + ")";
      return failure();
    }
    model.vectorBits = asked;
  }
  // AVX-512 doubles the register file, for the narrower widths too
  // (AVX512VL).
  model.vectorRegisters =
      avx512 && (model.vectorBits == 512 || model.features.lookup("avx512vl"))
          ? 32
          : 16;
  return model;
}

} // namespace mlir::strata
