//===- Compiler.cpp - model to .strata artifact ---------------------------===//
//
// The compile driver: it imports the model, runs each stage as a pass
// pipeline (replayable with strata-opt), asks the target to serialize its
// executable and writes the artifact that describes how to run it.
//
//===----------------------------------------------------------------------===//

#include "driver/Compiler.h"

#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/Transforms/Passes.h"
#include "frontends/json/JSONImporter.h"
#include "passes/Pipelines/Pipelines.h"
#include "runtime/artifact/Artifact.h"
#include "targets/TargetBackend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::strata {

namespace artifact = ::strata::artifact;

std::optional<ModelFormat> modelFormatFromPath(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".onnx")
    return ModelFormat::ONNX;
  if (ext == ".json")
    return ModelFormat::JSON;
  if (ext == ".mlir")
    return ModelFormat::MLIR;
  return std::nullopt;
}

namespace {

OwningOpRef<ModuleOp> importModel(MLIRContext &context, StringRef bytes,
                                  StringRef path, ModelFormat format,
                                  const CompileOptions &options) {
  switch (format) {
  case ModelFormat::ONNX:
    return importONNXModel(bytes, path, &context, options.onnx);
  case ModelFormat::JSON:
    return importJSONGraph(bytes, path, &context);
  case ModelFormat::MLIR: {
    ParserConfig config(&context);
    return parseSourceString<ModuleOp>(bytes, config,
                                       path.empty() ? "<stdin>" : path);
  }
  }
  llvm_unreachable("unknown model format");
}

/// The dtype name the manifest uses for `type`, or "" if it has none.
std::string dtypeName(Type type) {
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isF32())
    return "f32";
  if (type.isF64())
    return "f64";
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    if (width == 1)
      return "i1";
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return "";
    return (integer.isUnsigned() ? "u" : "i") + std::to_string(width);
  }
  return "";
}

/// The manifest's view of one argument or result; fails on dynamic shapes
/// and element types the runtime cannot carry.
FailureOr<artifact::TensorSpec> tensorSpec(Location loc, Type type,
                                           DictionaryAttr attrs,
                                           StringRef role, unsigned index) {
  artifact::TensorSpec spec;
  spec.name = role.str() + std::to_string(index);
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>("onnx.name"))
      spec.name = name.str();
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return emitError(loc) << role << " '" << spec.name << "' has type " << type
                          << "; entry points take and return ranked tensors";
  // Inputs are checked first, so a dynamic output has static inputs.
  if (!tensor.hasStaticShape() && role == "output")
    return emitError(loc) << "output '" << spec.name << "' has the dynamic "
                          << "type " << type << ": its shape depends on the "
                          << "input values (as NonZero's does), and the "
                          << "runtime needs static output shapes";
  if (!tensor.hasStaticShape())
    return emitError(loc) << role << " '" << spec.name << "' has the dynamic "
                          << "type " << type << "; give it a static shape "
                          << "with --input-shape=NAME=DIMS";
  spec.dtype = dtypeName(tensor.getElementType());
  if (spec.dtype.empty())
    return emitError(loc) << role << " '" << spec.name << "' has element type "
                          << tensor.getElementType()
                          << ", which the runtime does not support";
  spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return spec;
}

/// The one public function with a body: the model's entry point.
FailureOr<func::FuncOp> entryFunction(ModuleOp module) {
  func::FuncOp entry;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || func.isPrivate())
      continue;
    if (entry)
      return emitError(func.getLoc())
             << "the model has several public functions ('"
             << entry.getSymName() << "' and '" << func.getSymName()
             << "'); compile one at a time";
    entry = func;
  }
  if (!entry)
    return emitError(module.getLoc(), "the model has no public function");
  return entry;
}

/// The entry point's signature and its buffers: the inputs, then the
/// outputs. The schedule comes from the kernels the target makes.
FailureOr<artifact::FunctionSpec> describe(func::FuncOp func) {
  artifact::FunctionSpec spec;
  spec.name = func.getSymName().str();
  Location loc = func.getLoc();
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto tensor = tensorSpec(loc, type, func.getArgAttrDict(i), "input", i);
    if (failed(tensor))
      return failure();
    spec.inputs.push_back(*tensor);
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto tensor = tensorSpec(loc, type, func.getResultAttrDict(i), "output", i);
    if (failed(tensor))
      return failure();
    spec.outputs.push_back(*tensor);
  }
  auto addBuffers = [&](const std::vector<artifact::TensorSpec> &tensors,
                        artifact::BufferSpec::Kind kind) {
    for (auto [i, tensor] : llvm::enumerate(tensors)) {
      artifact::BufferSpec buffer;
      buffer.kind = kind;
      buffer.index = i;
      artifact::tensorByteSize(tensor, &buffer.size);
      spec.buffers.push_back(buffer);
    }
  };
  addBuffers(spec.inputs, artifact::BufferSpec::Kind::Input);
  addBuffers(spec.outputs, artifact::BufferSpec::Kind::Output);
  // Names now live in the manifest; LLVM has no use for them.
  func.setAllArgAttrs(ArrayRef<DictionaryAttr>{});
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
  return spec;
}

/// Upstream's bare-pointer calling convention rejects multi-dimensional
/// memrefs without elements, so such arguments and results cross the kernel
/// boundary as rank-1 `tensor<0xT>` and are reshaped inside.
void flattenEmptyBoundaries(func::FuncOp func) {
  auto isEmptyNd = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.hasStaticShape() && tensor.getNumElements() == 0 &&
           tensor.getRank() != 1;
  };
  auto flat = [](Type type) {
    return cast<RankedTensorType>(type).clone(ArrayRef<int64_t>{0});
  };
  auto allDims = [](int64_t rank) {
    return SmallVector<ReassociationIndices>{
        llvm::to_vector<2>(llvm::seq<int64_t>(0, rank))};
  };
  Block &body = func.getBody().front();
  OpBuilder b = OpBuilder::atBlockBegin(&body);
  for (BlockArgument arg : body.getArguments()) {
    if (!isEmptyNd(arg.getType()))
      continue;
    Type original = arg.getType();
    arg.setType(flat(original));
    auto expanded = tensor::ExpandShapeOp::create(
        b, func.getLoc(), original, arg,
        allDims(cast<RankedTensorType>(original).getRank()));
    arg.replaceAllUsesExcept(expanded, expanded);
  }
  Operation *ret = body.getTerminator();
  b.setInsertionPoint(ret);
  for (OpOperand &operand : ret->getOpOperands()) {
    Type type = operand.get().getType();
    if (!isEmptyNd(type))
      continue;
    operand.set(tensor::CollapseShapeOp::create(
        b, func.getLoc(), flat(type), operand.get(),
        allDims(cast<RankedTensorType>(type).getRank())));
  }
  func.setType(FunctionType::get(func.getContext(), body.getArgumentTypes(),
                                 ret->getOperandTypes()));
}

LogicalResult dumpStage(ModuleOp module, const CompileOptions &options,
                        StringRef fileName) {
  if (options.dumpStagesDir.empty())
    return success();
  if (std::error_code ec =
          llvm::sys::fs::create_directories(options.dumpStagesDir))
    return emitError(module.getLoc(), "cannot create '")
           << options.dumpStagesDir << "': " << ec.message();
  llvm::SmallString<256> path(options.dumpStagesDir);
  llvm::sys::path::append(path, fileName);
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return emitError(module.getLoc(), error);
  module.print(file->os());
  file->keep();
  return success();
}

LogicalResult runStage(ModuleOp module, const CompileOptions &options,
                       function_ref<void(OpPassManager &)> build,
                       StringRef dumpName) {
  PassManager pm(module->getContext());
  build(pm);
  if (options.configurePassManager &&
      failed(options.configurePassManager(pm)))
    return failure();
  if (failed(pm.run(module)))
    return failure();
  return dumpStage(module, options, dumpName);
}

} // namespace

FailureOr<std::vector<uint8_t>> compileModel(MLIRContext &context,
                                             StringRef bytes, StringRef path,
                                             ModelFormat format,
                                             const CompileOptions &options) {
  const TargetBackend *target = lookupTargetBackend(options.target);
  if (!target)
    return emitError(UnknownLoc::get(&context), "unknown target '")
           << options.target << "' (available: "
           << llvm::join(targetBackendNames(), ", ") << ")";
  if (options.optLevel > 3)
    return emitError(UnknownLoc::get(&context), "optimization level ")
           << options.optLevel << " is not in 0..3";
  DialectRegistry registry;
  registry.insert<StrataDialect>();
  target->registerDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();

  OwningOpRef<ModuleOp> module =
      importModel(context, bytes, path, format, options);
  if (!module)
    return failure();
  if (failed(dumpStage(*module, options, "0-imported.mlir")))
    return failure();

  PipelineOptions pipeline;
  pipeline.optLevel = options.optLevel;
  if (failed(runStage(
          *module, options,
          [](OpPassManager &pm) { pm.addPass(createStrataRefineShapesPass()); },
          "1-refined.mlir")))
    return failure();
  FailureOr<func::FuncOp> entry = entryFunction(*module);
  if (failed(entry))
    return failure();
  FailureOr<artifact::FunctionSpec> function = describe(*entry);
  if (failed(function))
    return failure();
  flattenEmptyBoundaries(*entry);
  if (failed(runStage(
          *module, options,
          [&](OpPassManager &pm) { buildStrataToLinalgPipeline(pm, pipeline); },
          "2-linalg.mlir")))
    return failure();
  TargetOptions targetOptions;
  targetOptions.optLevel = options.optLevel;
  if (failed(runStage(
          *module, options,
          [&](OpPassManager &pm) { target->buildPipeline(pm, targetOptions); },
          "3-" + options.target + ".mlir")))
    return failure();
  FailureOr<Executable> executable = target->serialize(*module, targetOptions);
  if (failed(executable))
    return failure();

  artifact::ArtifactSpec spec;
  spec.producer = "strata-compile";
  spec.devices.push_back({options.target});
  artifact::ExecutableSpec exe;
  exe.format = executable->format;
  exe.blob = 0;
  if (executable->kernels.empty())
    return emitError(module->getLoc(), "the target made no kernel");
  // The kernels' scratch bindings follow the inputs and outputs; every
  // dispatch binds every buffer, in that order.
  for (uint64_t size : executable->kernels.front().transients) {
    artifact::BufferSpec buffer;
    buffer.kind = artifact::BufferSpec::Kind::Transient;
    buffer.size = size;
    function->buffers.push_back(buffer);
  }
  for (auto [index, kernel] : llvm::enumerate(executable->kernels)) {
    if (kernel.transients != executable->kernels.front().transients ||
        kernel.bindings != function->buffers.size())
      return emitError(module->getLoc(), "internal error: kernel '")
             << kernel.name << "' does not bind the " << function->buffers.size()
             << " buffers of '" << function->name << "'";
    artifact::KernelSpec kernelSpec;
    kernelSpec.name = kernel.name;
    kernelSpec.symbol = kernel.symbol;
    artifact::StepSpec dispatch;
    dispatch.name = kernel.name;
    dispatch.kernel = index;
    dispatch.workgroups[0] = kernel.workgroups;
    for (auto [b, buffer] : llvm::enumerate(function->buffers)) {
      // Inputs are only read; outputs and scratch may be read back.
      kernelSpec.bindings.push_back(
          buffer.kind == artifact::BufferSpec::Kind::Input
              ? artifact::Access::Read
              : artifact::Access::ReadWrite);
      dispatch.bindings.push_back({static_cast<uint32_t>(b), 0, buffer.size});
    }
    exe.kernels.push_back(std::move(kernelSpec));
    function->schedule.push_back(std::move(dispatch));
  }
  spec.executables.push_back(std::move(exe));
  spec.functions.push_back(std::move(*function));
  spec.blobs.push_back(std::move(executable->bytes));
  std::string error;
  if (!artifact::validate(spec, &error))
    return emitError(module->getLoc(), "internal error: invalid artifact: ")
           << error;
  return artifact::serialize(spec);
}

} // namespace mlir::strata
