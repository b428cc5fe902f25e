//===- SystolicTarget.cpp - the systolic-array target ---------------------===//

#include "targets/systolic/SystolicTarget.h"

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "dialects/Systolic/IR/SystolicOps.h"
#include "passes/Passes.h"
#include "runtime/devices/systolic/sim/Program.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::strata {
namespace {

namespace sim = ::strata::systolic;

constexpr llvm::StringLiteral kConfigKey = "systolic-config";

/// The fields mvin and mvout share; DRAM operands are the kernel's
/// arguments, in binding order.
template <typename DmaOp> void dma(DmaOp op, sim::Instr &in) {
  in.binding = uint32_t(cast<BlockArgument>(op.getDram()).getArgNumber());
  in.dramOffset = op.getDramOffset();
  in.dramStride = uint32_t(op.getDramStride());
  in.sramAddr = uint32_t(op.getSramAddr());
  in.sramStride = uint32_t(op.getSramStride());
  in.rows = uint32_t(op.getRows());
  in.cols = uint32_t(op.getCols());
}

/// The instruction of one systolic op.
sim::Instr toInstr(Operation *op) {
  sim::Instr in;
  if (auto c = dyn_cast<systolic::ConfigOp>(op)) {
    in.op = sim::Opcode::Config;
    in.dataflow = sim::Dataflow(c.getDataflow());
    in.dtype = sim::Dtype(c.getDtype());
    in.activation = sim::Activation(c.getActivation());
    in.scale = c.getScale().convertToFloat();
    in.outType = sim::OutType(c.getOut());
  } else if (auto m = dyn_cast<systolic::MvinOp>(op)) {
    in.op = sim::Opcode::Mvin;
    in.flags =
        (m.getMemory() == systolic::Memory::Acc ? sim::kToAccumulator : 0) |
        (m.getAccumulate() ? sim::kAccumulateIn : 0);
    dma(m, in);
  } else if (auto i = dyn_cast<systolic::Im2colOp>(op)) {
    in.op = sim::Opcode::Im2col;
    in.binding = uint32_t(cast<BlockArgument>(i.getDram()).getArgNumber());
    in.dramOffset = i.getDramOffset();
    in.height = uint32_t(i.getImage()[0]);
    in.width = uint32_t(i.getImage()[1]);
    in.kernelH = uint32_t(i.getWindow()[0]);
    in.kernelW = uint32_t(i.getWindow()[1]);
    in.strideH = uint32_t(i.getStride()[0]);
    in.strideW = uint32_t(i.getStride()[1]);
    in.dilationH = uint32_t(i.getDilation()[0]);
    in.dilationW = uint32_t(i.getDilation()[1]);
    in.outW = uint32_t(i.getOutWidth());
    in.k0 = uint32_t(i.getTaps()[0]);
    in.rows = uint32_t(i.getTaps()[1]);
    in.m0 = uint32_t(i.getPixels()[0]);
    in.cols = uint32_t(i.getPixels()[1]);
    in.sramAddr = uint32_t(i.getSramAddr());
    in.sramStride = uint32_t(i.getSramStride());
  } else if (auto z = dyn_cast<systolic::ZeroOp>(op)) {
    in.op = sim::Opcode::Mvin;
    in.flags =
        sim::kZeroFill |
        (z.getMemory() == systolic::Memory::Acc ? sim::kToAccumulator : 0);
    in.sramAddr = uint32_t(z.getSramAddr());
    in.sramStride = uint32_t(z.getSramStride());
    in.rows = uint32_t(z.getRows());
    in.cols = uint32_t(z.getCols());
  } else if (auto m = dyn_cast<systolic::MvoutOp>(op)) {
    in.op = sim::Opcode::Mvout;
    in.flags =
        (m.getMemory() == systolic::Memory::Acc ? sim::kFromAccumulator : 0) |
        (m.getTransposed() ? sim::kTransposeOut : 0);
    dma(m, in);
  } else if (auto p = dyn_cast<systolic::PreloadOp>(op)) {
    in.op = sim::Opcode::Preload;
    in.flags = p.getTransposed() ? sim::kPreloadTransposed : 0;
    in.sramAddr = uint32_t(p.getSramAddr());
    in.sramStride = uint32_t(p.getSramStride());
    in.rows = uint32_t(p.getRows());
    in.cols = uint32_t(p.getCols());
  } else if (auto c = dyn_cast<systolic::ComputeOp>(op)) {
    in.op = sim::Opcode::Compute;
    in.flags = (c.getAccumulate() ? sim::kAccumulate : 0) |
               (c.getContinueFold() ? sim::kContinue : 0) |
               (c.getTransposeA() ? sim::kTransposeA : 0) |
               (c.getTransposeB() ? sim::kTransposeB : 0);
    in.aAddr = uint32_t(c.getAAddr());
    in.aStride = uint32_t(c.getAStride());
    in.bAddr = uint32_t(c.getBAddr());
    in.bStride = uint32_t(c.getBStride());
    in.cAddr = uint32_t(c.getCAddr());
    in.cStride = uint32_t(c.getCStride());
    in.m = uint32_t(c.getM());
    in.k = uint32_t(c.getK());
    in.n = uint32_t(c.getN());
  } else {
    in.op = sim::Opcode::Fence;
  }
  return in;
}

class SystolicTarget : public TargetBackend {
public:
  llvm::StringRef name() const override { return "systolic"; }

  void registerDialects(DialectRegistry &registry) const override {
    registry.insert<systolic::SystolicDialect, memref::MemRefDialect>();
  }

  std::vector<std::string> optionKeys() const override {
    return {kConfigKey.str()};
  }

  LogicalResult checkOptions(const TargetOptions &options,
                             Location loc) const override {
    for (const auto &[key, value] : options.options)
      if (key != kConfigKey)
        return emitError(loc) << "target 'systolic' has no option '" << key
                              << "' (known: " << kConfigKey << ")";
    std::string path = options.lookup(kConfigKey, "");
    sim::Config config;
    if (!path.empty())
      if (std::string error = sim::loadConfig(path, &config); !error.empty())
        return emitError(loc) << "target 'systolic': " << error;
    return success();
  }

  /// bf16 contractions sum in f32, rounding in their consumers; quantized
  /// ones read their i8 operands as they are.
  void buildGlobalOptimizationPipeline(OpPassManager &pm,
                                       const TargetOptions &) const override {
    pm.addNestedPass<func::FuncOp>(createStrataWidenAccumulatorsPass());
    pm.addPass(createStrataFuseElementwisePass());
    pm.addNestedPass<func::FuncOp>(createStrataFoldCastsIntoContractionsPass());
    // Each contraction rebuilt its own narrow pads and reshapes.
    pm.addNestedPass<func::FuncOp>(createCSEPass());
  }

  /// The host cpu runs what the array cannot, in the same artifact.
  llvm::StringRef hostFallback() const override { return "cpu"; }
  bool separatesPooling() const override { return true; }
  /// The array reads every operand by DMA: kernels hold no tensors.
  int64_t minHostConstantBytes() const override { return 1; }

  void buildFallbackPipeline(OpPassManager &pm,
                             const TargetOptions &options) const override {
    StrataSystolicMarkFallbackPassOptions pass;
    pass.config = options.lookup(kConfigKey, "");
    pm.addPass(createStrataSystolicMarkFallbackPass(pass));
  }

  void buildExecutablePipeline(OpPassManager &pm,
                               const TargetOptions &options) const override {
    StrataLinalgToSystolicPassOptions pass;
    pass.config = options.lookup(kConfigKey, "");
    pm.addPass(createStrataLinalgToSystolicPass(pass));
  }

  FailureOr<SerializedExecutable>
  serializeExecutable(schedule::ExecutableOp executable,
                      const TargetOptions &) const override {
    ModuleOp module = executable.getInnerModule();
    FailureOr<systolic::ArrayInfo> array = systolic::parseArrayAttr(
        module->getAttr(systolic::SystolicDialect::kArrayAttrName),
        [&] { return module.emitError(); });
    if (failed(array))
      return failure();
    sim::Program program;
    if (std::string error = sim::parseConfig(
            array->config, "the kernels' systolic.array", &program.config);
        !error.empty())
      return module.emitError() << error;
    program.rows = uint32_t(array->rows);
    program.cols = uint32_t(array->cols);
    program.dataflow = sim::Dataflow(array->dataflow);
    program.scratchpadBytes = uint64_t(array->scratchpadBytes);
    program.accumulatorBytes = uint64_t(array->accumulatorBytes);
    for (auto exported : executable.getOps<schedule::ExportOp>()) {
      StringRef symbol = exported.getFunction().value_or(exported.getSymName());
      auto kernel = module.lookupSymbol<func::FuncOp>(symbol);
      if (!kernel)
        return exported.emitError() << "no kernel '" << symbol << "'";
      sim::Kernel k;
      k.name = symbol.str();
      for (unsigned i = 0; i < kernel.getNumArguments(); ++i) {
        auto role = kernel.getArgAttrOfType<StringAttr>(
            i, systolic::SystolicDialect::kRoleAttrName);
        k.roles.push_back(!role                         ? sim::Role::None
                          : role.getValue() == "ifmap"  ? sim::Role::Ifmap
                          : role.getValue() == "filter" ? sim::Role::Filter
                                                        : sim::Role::Ofmap);
      }
      if (llvm::all_of(k.roles,
                       [](sim::Role r) { return r == sim::Role::None; }))
        k.roles.clear();
      SmallVector<Operation *> ops;
      for (Operation &op : kernel.getBody().front().without_terminator()) {
        if (!isa<systolic::SystolicDialect>(op.getDialect()))
          return op.emitError() << "is not a systolic instruction";
        ops.push_back(&op);
        k.instrs.push_back(toInstr(&op));
      }
      size_t at = 0;
      if (std::string error = sim::checkKernel(
              program, k, uint32_t(exported.getBindings().size()), &at);
          !error.empty())
        return ops.empty() ? kernel.emitError() << error
                           : ops[at]->emitError() << error;
      program.kernels.push_back(std::move(k));
    }
    SerializedExecutable result;
    result.format = "systolic-program";
    result.processor = std::to_string(program.rows) + "x" +
                       std::to_string(program.cols) + " " +
                       sim::dataflowName(program.dataflow);
    result.bytes = sim::encodeProgram(program);
    return result;
  }
};

} // namespace

std::unique_ptr<TargetBackend> createSystolicTarget() {
  return std::make_unique<SystolicTarget>();
}

} // namespace mlir::strata
