//===- OrderGlobals.cpp - constant globals in first-use order -------------===//
//
// One-shot bufferization creates a memref.global per tensor constant as it
// meets them, in an order that follows a pointer-keyed map over the
// functions, and names them uniquely in that order. Put back in the order
// of their first use and renamed in that order, the same module always
// gives the same globals, and the artifact stays byte-identical.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAORDERGLOBALSPASS
#include "passes/Passes.h.inc"

namespace {

/// `name` without a uniquing suffix "_<digits>".
StringRef baseName(StringRef name) {
  auto [base, suffix] = name.rsplit('_');
  return !suffix.empty() && llvm::all_of(suffix, llvm::isDigit) ? base : name;
}

struct StrataOrderGlobalsPass
    : impl::StrataOrderGlobalsPassBase<StrataOrderGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // The private globals, in the order of their first use.
    SmallVector<memref::GlobalOp> order;
    llvm::DenseMap<memref::GlobalOp, SmallVector<memref::GetGlobalOp>> uses;
    module.walk([&](memref::GetGlobalOp get) {
      auto global = symbols.lookup<memref::GlobalOp>(get.getName());
      if (!global || !global.isPrivate())
        return;
      auto &list = uses[global];
      if (list.empty())
        order.push_back(global);
      list.push_back(get);
    });
    // The names the renamed globals must not take: every other symbol's.
    llvm::StringSet<> taken;
    llvm::DenseSet<Operation *> renamed(order.begin(), order.end());
    for (Operation &op : module.getBody()->getOperations())
      if (auto name =
              op.getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
          name && !renamed.contains(&op))
        taken.insert(name.getValue());
    SmallVector<std::string> bases;
    for (memref::GlobalOp global : order)
      bases.push_back(baseName(global.getSymName()).str());
    llvm::StringMap<unsigned> counts;
    Block &body = module.getBodyRegion().front();
    Operation *insertAfter = nullptr;
    for (auto [global, base] : llvm::zip(order, bases)) {
      unsigned &count = counts[base];
      std::string name;
      do {
        name = count == 0 ? base : base + "_" + std::to_string(count);
        ++count;
      } while (taken.contains(name));
      taken.insert(name);
      SymbolTable::setSymbolName(global, name);
      for (memref::GetGlobalOp get : uses[global])
        get.setNameAttr(FlatSymbolRefAttr::get(global.getSymNameAttr()));
      if (insertAfter)
        global->moveAfter(insertAfter);
      else
        global->moveBefore(&body.front());
      insertAfter = global;
    }
  }
};

} // namespace
} // namespace mlir::strata
