//===- ShareWorkgroupMemory.cpp - one set of Workgroup variables ----------===//
//
// convert-gpu-to-spirv gives every kernel's workgroup buffer a Workgroup
// variable of its own in the executable's one spirv.module. A driver
// allocates only what an entry point uses, but the Khronos validation
// layer counts every Workgroup variable of a SPIR-V 1.3 module against
// maxComputeSharedMemorySize. Kernels never run at once within a
// dispatch, so they can share variables: the i-th largest buffer of each
// element type of every kernel becomes one variable, as large as the
// largest of them.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATASPIRVSHAREWORKGROUPMEMORYPASS
#include "passes/Passes.h.inc"

namespace {

/// The element type and length of a Workgroup variable's array, if it is
/// one (directly or as a struct's only member).
std::optional<std::pair<Type, int64_t>>
workgroupArray(spirv::GlobalVariableOp var) {
  auto pointer = dyn_cast<spirv::PointerType>(var.getType());
  if (!pointer || pointer.getStorageClass() != spirv::StorageClass::Workgroup)
    return std::nullopt;
  Type pointee = pointer.getPointeeType();
  if (auto structType = dyn_cast<spirv::StructType>(pointee)) {
    if (structType.getNumElements() != 1 || structType.hasOffset())
      return std::nullopt;
    pointee = structType.getElementType(0);
  }
  auto array = dyn_cast<spirv::ArrayType>(pointee);
  if (!array || array.getArrayStride() != 0)
    return std::nullopt;
  return std::make_pair(array.getElementType(),
                        static_cast<int64_t>(array.getNumElements()));
}

struct StrataSpirvShareWorkgroupMemoryPass
    : impl::StrataSpirvShareWorkgroupMemoryPassBase<
          StrataSpirvShareWorkgroupMemoryPass> {
  void runOnOperation() override {
    getOperation().walk([&](spirv::ModuleOp module) { share(module); });
  }

  void share(spirv::ModuleOp module) {
    // In module order, so that the shared variables come out the same
    // every time.
    SmallVector<spirv::GlobalVariableOp> variables;
    llvm::StringMap<spirv::GlobalVariableOp> byName;
    for (auto var : module.getOps<spirv::GlobalVariableOp>())
      if (workgroupArray(var)) {
        variables.push_back(var);
        byName[var.getSymName()] = var;
      }
    if (variables.empty())
      return;
    // The functions that use each variable; one two functions use stays
    // its own.
    DenseMap<Operation *, llvm::SmallSetVector<Operation *, 2>> users;
    SmallVector<spirv::AddressOfOp> addresses;
    module.walk([&](spirv::AddressOfOp address) {
      spirv::GlobalVariableOp var = byName.lookup(address.getVariable());
      if (!var)
        return;
      users[var].insert(address->getParentOfType<spirv::FuncOp>());
      addresses.push_back(address);
    });
    // Per function and element type, its variables, largest first.
    llvm::MapVector<std::pair<Operation *, Type>,
                    SmallVector<spirv::GlobalVariableOp>>
        groups;
    for (spirv::GlobalVariableOp var : variables)
      if (users.lookup(var).size() == 1)
        groups[{users[var].front(), workgroupArray(var)->first}].push_back(var);
    // Slot i of an element type: the i-th largest variable of each
    // function.
    DenseMap<Operation *, std::pair<Type, int64_t>> slotOf;
    llvm::MapVector<std::pair<Type, int64_t>, int64_t> slotLength;
    for (auto &[key, group] : groups) {
      llvm::sort(group, [](spirv::GlobalVariableOp a,
                           spirv::GlobalVariableOp b) {
        int64_t x = workgroupArray(a)->second, y = workgroupArray(b)->second;
        return x != y ? x > y : a->isBeforeInBlock(b);
      });
      for (auto [i, var] : llvm::enumerate(group)) {
        std::pair<Type, int64_t> slot{key.second, i};
        slotOf[var] = slot;
        slotLength[slot] =
            std::max(slotLength.lookup(slot), workgroupArray(var)->second);
      }
    }
    if (slotOf.empty())
      return;
    OpBuilder b(variables.front());
    DenseMap<std::pair<Type, int64_t>, spirv::GlobalVariableOp> shared;
    for (auto [i, entry] : llvm::enumerate(slotLength)) {
      auto [slot, length] = entry;
      auto type = spirv::PointerType::get(
          spirv::StructType::get({spirv::ArrayType::get(slot.first, length)}),
          spirv::StorageClass::Workgroup);
      shared[slot] = spirv::GlobalVariableOp::create(
          b, module.getLoc(), type, "__workgroup_shared__" + std::to_string(i));
    }
    for (spirv::AddressOfOp address : addresses) {
      auto it = slotOf.find(byName.lookup(address.getVariable()));
      if (it == slotOf.end())
        continue;
      spirv::GlobalVariableOp var = shared[it->second];
      address.setVariableAttr(FlatSymbolRefAttr::get(var.getSymNameAttr()));
      address.getPointer().setType(var.getType());
    }
    for (spirv::GlobalVariableOp var : variables)
      if (slotOf.count(var))
        var.erase();
  }
};

} // namespace
} // namespace mlir::strata
