//===- EmitObjects.cpp - LLVM code generation for the cpu target ----------===//
//
// Each exported function goes to a partition with the internal functions
// and constants it uses, so that the kernel wrappers still inline their
// bodies; what several partitions use becomes a hidden symbol of one of
// them. The assignment follows the module's order, so that the same module
// always gives the same objects (LLVM's SplitModule does not). Partitions
// travel to their threads as bitcode: an LLVMContext is not thread-safe,
// so each thread parses its partition into a context of its own, as LLVM's
// ParallelCG does.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/EmitObjects.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/Utils/Cloning.h"

namespace mlir::strata {
namespace {

/// Kernels per partition, and the most partitions: enough to keep a few
/// cores busy while the per-partition work stays large.
constexpr unsigned kKernelsPerPartition = 4;
constexpr unsigned kMaxPartitions = 16;

struct Partition {
  llvm::SmallString<0> bitcode;
  std::string object, assembly, error;
};

/// The local globals `root` uses, directly or through other local ones,
/// with `root` itself.
llvm::SetVector<llvm::GlobalValue *> closureOf(llvm::GlobalValue *root) {
  llvm::SetVector<llvm::GlobalValue *> closure;
  llvm::SmallVector<const llvm::User *> work;
  llvm::SmallPtrSet<const llvm::User *, 32> seen;
  closure.insert(root);
  work.push_back(root);
  while (!work.empty()) {
    const llvm::User *user = work.pop_back_val();
    auto visit = [&](const llvm::Value *operand) {
      auto *gv = dyn_cast<llvm::GlobalValue>(operand);
      if (gv && gv->hasLocalLinkage()) {
        if (closure.insert(const_cast<llvm::GlobalValue *>(gv)))
          work.push_back(gv);
      } else if (isa<llvm::Constant>(operand) && !gv &&
                 seen.insert(cast<llvm::User>(operand)).second) {
        work.push_back(cast<llvm::User>(operand));
      }
    };
    if (auto *function = dyn_cast<llvm::Function>(user)) {
      for (const llvm::BasicBlock &block : *function)
        for (const llvm::Instruction &inst : block)
          for (const llvm::Value *operand : inst.operands())
            visit(operand);
    } else if (auto *variable = dyn_cast<llvm::GlobalVariable>(user)) {
      if (variable->hasInitializer())
        visit(variable->getInitializer());
    } else {
      for (const llvm::Value *operand : user->operands())
        visit(operand);
    }
  }
  return closure;
}

/// Splits `module` into partitions of about kKernelsPerPartition exported
/// functions each, as bitcode.
std::vector<Partition> split(llvm::Module &module) {
  // The exported definitions, in order, with what they use.
  llvm::SmallVector<llvm::GlobalValue *> roots;
  for (llvm::GlobalValue &gv : module.global_values())
    if (!gv.isDeclaration() && !gv.hasLocalLinkage())
      roots.push_back(&gv);
  llvm::SmallVector<llvm::SetVector<llvm::GlobalValue *>> closures;
  llvm::SmallVector<uint64_t> sizes;
  uint64_t total = 0;
  for (llvm::GlobalValue *root : roots) {
    closures.push_back(closureOf(root));
    uint64_t size = 1;
    for (llvm::GlobalValue *gv : closures.back())
      if (auto *function = dyn_cast<llvm::Function>(gv))
        size += function->getInstructionCount();
    sizes.push_back(size);
    total += size;
  }
  // Consecutive roots share a partition until it holds its share of the
  // instructions.
  unsigned count = std::clamp<size_t>(roots.size() / kKernelsPerPartition, 1,
                                      kMaxPartitions);
  llvm::DenseMap<const llvm::GlobalValue *, unsigned> owner;
  uint64_t done = 0;
  for (auto [root, closure, size] : llvm::zip(roots, closures, sizes)) {
    unsigned part = std::min<uint64_t>(count - 1, done * count / total);
    done += size;
    for (llvm::GlobalValue *gv : closure) {
      auto [it, inserted] = owner.try_emplace(gv, part);
      if (inserted || it->second == part)
        continue;
      // Used by two partitions: the first defines it, the others link to
      // it.
      it->second = std::min(it->second, part);
      gv->setLinkage(llvm::GlobalValue::ExternalLinkage);
      gv->setVisibility(llvm::GlobalValue::HiddenVisibility);
    }
  }
  std::vector<Partition> parts(count);
  for (unsigned part = 0; part < count; ++part) {
    llvm::ValueToValueMapTy map;
    std::unique_ptr<llvm::Module> clone =
        llvm::CloneModule(module, map, [&](const llvm::GlobalValue *gv) {
          auto it = owner.find(gv);
          // Unused locals go nowhere; other globals live in partition 0.
          return it == owner.end() ? part == 0 && !gv->hasLocalLinkage()
                                   : it->second == part;
        });
    llvm::raw_svector_ostream os(parts[part].bitcode);
    llvm::WriteBitcodeToFile(*clone, os);
  }
  return parts;
}

std::unique_ptr<llvm::TargetMachine>
createMachine(const CpuModel &model, unsigned optLevel, std::string &error) {
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  auto level = optLevel == 0   ? llvm::CodeGenOptLevel::None
               : optLevel == 1 ? llvm::CodeGenOptLevel::Less
               : optLevel == 2 ? llvm::CodeGenOptLevel::Default
                               : llvm::CodeGenOptLevel::Aggressive;
  // LLVM fuses a multiply feeding an add into one FMA only where both carry
  // the `contract` flag: strata-cpu-fp-contract sets it (from -O1) on all
  // but the operations a lowering marked exact. -O0 keeps IEEE
  // multiply-then-add everywhere.
  llvm::TargetOptions options;
  options.AllowFPOpFusion = llvm::FPOpFusion::Standard;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, model.cpu, model.featureString(), options, llvm::Reloc::PIC_,
      std::nullopt, level));
  if (!machine)
    error = "cannot create a target machine for " + triple.str();
  return machine;
}

/// Runs `machine`'s code generator over `module` into `out`.
bool emit(llvm::TargetMachine &machine, llvm::Module &module,
          llvm::CodeGenFileType type, std::string &out) {
  llvm::raw_string_ostream stream(out);
  llvm::buffer_ostream buffered(stream);
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, buffered, nullptr, type))
    return false;
  codegen.run(module);
  return true;
}

/// Optimizes and emits one partition; runs on a thread of its own.
void compilePartition(Partition &part, const CpuModel &model, unsigned optLevel,
                      bool wantAssembly) {
  llvm::LLVMContext context;
  llvm::Expected<std::unique_ptr<llvm::Module>> module = llvm::parseBitcodeFile(
      llvm::MemoryBufferRef(part.bitcode.str(), "partition"), context);
  if (!module) {
    part.error =
        "cannot read a partition back: " + llvm::toString(module.takeError());
    return;
  }
  std::unique_ptr<llvm::TargetMachine> machine =
      createMachine(model, optLevel, part.error);
  if (!machine)
    return;
  (*module)->setDataLayout(machine->createDataLayout());
  if (llvm::Error err = makeOptimizingTransformer(
          optLevel, /*sizeLevel=*/0, machine.get())(module->get())) {
    part.error = "LLVM optimization failed: " + llvm::toString(std::move(err));
    return;
  }
  // Code generation rewrites the IR it runs on: the listing comes from a
  // copy of the optimized module.
  if (wantAssembly) {
    std::unique_ptr<llvm::Module> copy = llvm::CloneModule(**module);
    if (!emit(*machine, *copy, llvm::CodeGenFileType::AssemblyFile,
              part.assembly)) {
      part.error = "the host target cannot emit assembly";
      return;
    }
  }
  if (!emit(*machine, **module, llvm::CodeGenFileType::ObjectFile, part.object))
    part.error = "the host target cannot emit object files";
}

} // namespace

FailureOr<EmittedCode> emitObjects(ModuleOp module, const CpuModel &model,
                                   unsigned optLevel, bool wantAssembly) {
  Location loc = module.getLoc();
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "strata");
  if (!llvmModule)
    return emitError(loc, "cannot translate the kernels to LLVM IR");
  llvmModule->setTargetTriple(
      llvm::Triple(llvm::sys::getDefaultTargetTriple()));

  std::vector<Partition> parts = split(*llvmModule);
  llvmModule.reset();

  {
    llvm::DefaultThreadPool pool(llvm::hardware_concurrency());
    for (Partition &part : parts)
      pool.async([&part, &model, optLevel, wantAssembly] {
        compilePartition(part, model, optLevel, wantAssembly);
      });
    pool.wait();
  }
  EmittedCode code;
  for (Partition &part : parts) {
    if (!part.error.empty())
      return emitError(loc, part.error);
    code.objects.push_back(std::move(part.object));
    code.assembly += part.assembly;
  }
  return code;
}

} // namespace mlir::strata
