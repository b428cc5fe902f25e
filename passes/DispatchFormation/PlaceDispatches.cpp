//===- PlaceDispatches.cpp - dispatches on devices, and transfers ---------===//
//
// Puts each dispatch on a device slot: the ones whose step name starts
// with a `place` pattern move, with their kernels, to the executable of
// that slot's target; the others stay where dispatch formation put them.
// Then every step that reads a value living on another device reads a
// schedule.copy of it to its own, made once per value and device: the
// runtime turns those copies into transfers. The function's inputs live
// on device slot 0. Dispatches a target marked for its host
// (schedule.fallback) move to the fallback slot.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "llvm/ADT/SmallBitVector.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAPLACEDISPATCHESPASS
#include "passes/Passes.h.inc"

namespace {

struct StrataPlaceDispatchesPass
    : impl::StrataPlaceDispatchesPassBase<StrataPlaceDispatchesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (devices.empty() && !place.empty()) {
      module.emitError("placing steps needs the devices to place them on");
      return signalPassFailure();
    }
    SmallVector<std::pair<std::string, int32_t>> rules;
    for (const std::string &rule : place) {
      auto [pattern, slot] = StringRef(rule).rsplit('=');
      int32_t index;
      if (pattern.empty() || slot.getAsInteger(10, index) || index < 0 ||
          index >= static_cast<int32_t>(devices.size())) {
        module.emitError("place '")
            << rule << "' is not STEP=SLOT with a slot in [0, "
            << devices.size() << ")";
        return signalPassFailure();
      }
      rules.push_back({pattern.str(), index});
    }
    if (fallbackSlot >= static_cast<int64_t>(devices.size())) {
      module.emitError("fallback-slot ")
          << fallbackSlot << " is not a slot in [0, " << devices.size() << ")";
      return signalPassFailure();
    }
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      for (auto dispatch :
           llvm::make_early_inc_range(func.getOps<schedule::DispatchOp>())) {
        Attribute reason = dispatch->removeAttr(schedule::kFallbackAttr);
        if (reason && firstFallback.empty())
          if (auto text = dyn_cast<StringAttr>(reason))
            firstFallback = text.getValue().str();
        if (reason && fallbackSlot >= 0) {
          if (failed(move(dispatch, int32_t(fallbackSlot))))
            return signalPassFailure();
          continue;
        }
        for (const auto &[pattern, slot] : rules)
          if (dispatch.getStep().starts_with(pattern)) {
            if (failed(move(dispatch, slot)))
              return signalPassFailure();
            break;
          }
      }
      // Moves made executables and symbols anew: look them up afresh.
      SymbolTableCollection symbols;
      insertTransfers(func, symbols);
    }
    if (!devices.empty() && failed(checkSlots(module)))
      return signalPassFailure();
  }

  /// The executable of device `slot`, made on first use.
  schedule::ExecutableOp executableFor(ModuleOp module, int32_t slot) {
    for (auto executable : module.getOps<schedule::ExecutableOp>())
      if (executable.getDevice() == static_cast<uint32_t>(slot))
        return executable;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    std::string target = devices[slot];
    auto executable = schedule::ExecutableOp::create(
        b, module.getLoc(), target + "_" + std::to_string(slot), target, slot);
    b.createBlock(&executable.getBody());
    ModuleOp::create(b, module.getLoc());
    return executable;
  }

  /// Moves `dispatch`'s kernel, and its export, to device `slot`.
  LogicalResult move(schedule::DispatchOp dispatch, int32_t slot) {
    auto exported = SymbolTable::lookupNearestSymbolFrom<schedule::ExportOp>(
        dispatch, dispatch.getKernelAttr());
    auto from = exported->getParentOfType<schedule::ExecutableOp>();
    if (from.getDevice() == static_cast<uint32_t>(slot))
      return success();
    // After dispatch formation each kernel serves one dispatch, so it
    // moves whole.
    auto kernel =
        from.getInnerModule().lookupSymbol<func::FuncOp>(exported.getSymName());
    if (!kernel)
      return dispatch.emitOpError("kernel @")
             << exported.getSymName() << " has no function to move";
    ModuleOp module = dispatch->getParentOfType<ModuleOp>();
    schedule::ExecutableOp to = executableFor(module, slot);
    exported->moveBefore(to.getInnerModule());
    kernel->moveBefore(to.getInnerModule().getBody(),
                       to.getInnerModule().getBody()->end());
    dispatch.setKernelAttr(SymbolRefAttr::get(
        to.getSymNameAttr(), {FlatSymbolRefAttr::get(exported)}));
    return success();
  }

  /// The slot a value lives on: its step's, or 0 for an input.
  int32_t deviceOf(Value value, SymbolTableCollection &symbols) {
    Operation *def = value.getDefiningOp();
    if (auto dispatch = dyn_cast_or_null<schedule::DispatchOp>(def))
      return stepDevice(dispatch, symbols);
    if (auto copy = dyn_cast_or_null<schedule::CopyOp>(def))
      return copy.getDevice();
    if (auto fill = dyn_cast_or_null<schedule::FillOp>(def))
      return fill.getDevice();
    return 0;
  }

  int32_t stepDevice(schedule::DispatchOp dispatch,
                     SymbolTableCollection &symbols) {
    auto exported = symbols.lookupNearestSymbolFrom<schedule::ExportOp>(
        dispatch, dispatch.getKernelAttr());
    return exported->getParentOfType<schedule::ExecutableOp>().getDevice();
  }

  void insertTransfers(func::FuncOp func, SymbolTableCollection &symbols) {
    llvm::DenseMap<std::pair<Value, int32_t>, Value> moved;
    for (auto dispatch : llvm::to_vector(func.getOps<schedule::DispatchOp>())) {
      int32_t slot = stepDevice(dispatch, symbols);
      OpBuilder b(dispatch);
      for (OpOperand &operand : dispatch->getOpOperands()) {
        Value value = operand.get();
        // A constant is a buffer on every device that reads it.
        if (deviceOf(value, symbols) == slot ||
            value.getDefiningOp<arith::ConstantOp>())
          continue;
        Value &copy = moved[{value, slot}];
        if (!copy)
          copy = schedule::CopyOp::create(
              b, dispatch.getLoc(), value.getType(), value, slot,
              (dispatch.getStep() + "/to_device_" + Twine(slot)).str());
        operand.set(copy);
      }
    }
  }

  /// Every slot must run a step: have an executable with a kernel.
  LogicalResult checkSlots(ModuleOp module) {
    llvm::SmallBitVector used(devices.size());
    for (auto executable : module.getOps<schedule::ExecutableOp>())
      if (executable.getDevice() < devices.size() &&
          !executable.getOps<schedule::ExportOp>().empty())
        used.set(executable.getDevice());
    for (unsigned slot = 0; slot < devices.size(); ++slot) {
      if (used.test(slot) || slot == fallbackSlot)
        continue;
      if (fallbackSlot >= 0 && !firstFallback.empty())
        return module.emitError("device ")
               << slot << " ('" << devices[slot]
               << "') can run no step of the model; the first it cannot: "
               << firstFallback;
      return module.emitError("device ")
             << slot << " ('" << devices[slot]
             << "') runs no step; place one there or drop the device";
    }
    return success();
  }

  /// Why the first dispatch marked for the fallback slot was marked.
  std::string firstFallback;
};

} // namespace
} // namespace mlir::strata
