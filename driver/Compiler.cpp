//===- Compiler.cpp - model to .strata artifact ---------------------------===//
//
// The compile driver: it imports the model and runs each stage as a pass
// pipeline that strata-opt replays (the stages and their pipelines go to
// --dump-stages), from strata to linalg, to a schedule of dispatch regions,
// to compiled executables; then the target serializes each executable and
// the schedule IR becomes the artifact.
//
//===----------------------------------------------------------------------===//

#include "driver/Compiler.h"

#include "dialects/Schedule/IR/ScheduleDialect.h"
#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/Transforms/Passes.h"
#include "driver/ScheduleToArtifact.h"
#include "frontends/json/JSONImporter.h"
#include "frontends/scalesim/TopologyImporter.h"
#include "passes/Passes.h"
#include "passes/Pipelines/Pipelines.h"
#include "runtime/artifact/Artifact.h"
#include "targets/TargetBackend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>

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
  if (ext == ".csv")
    return ModelFormat::ScaleSimTopology;
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
  case ModelFormat::ScaleSimTopology:
    return importScaleSimTopology(bytes, path, &context);
  case ModelFormat::MLIR: {
    ParserConfig config(&context);
    return parseSourceString<ModuleOp>(bytes, config,
                                       path.empty() ? "<stdin>" : path);
  }
  }
  llvm_unreachable("unknown model format");
}

/// The manifest's view of one argument or result; fails on dynamic shapes
/// (with the hint to fix them by `shapeFlag`, when the format has one) and
/// element types the runtime cannot carry.
FailureOr<artifact::TensorSpec> tensorSpec(Location loc, Type type,
                                           DictionaryAttr attrs, StringRef role,
                                           unsigned index,
                                           StringRef shapeFlag) {
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
  if (!tensor.hasStaticShape() && !shapeFlag.empty())
    return emitError(loc) << role << " '" << spec.name << "' "
                          << staticShapeHint(spec.name, tensor, shapeFlag);
  if (!tensor.hasStaticShape())
    return emitError(loc) << role << " '" << spec.name << "' has the dynamic "
                          << "type " << type
                          << "; a .mlir entry point takes static shapes";
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

/// The entry point's signature: the names, dtypes and shapes of its inputs
/// and outputs.
FailureOr<artifact::FunctionSpec> describe(func::FuncOp func,
                                           StringRef shapeFlag) {
  artifact::FunctionSpec spec;
  spec.name = func.getSymName().str();
  Location loc = func.getLoc();
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto tensor =
        tensorSpec(loc, type, func.getArgAttrDict(i), "input", i, shapeFlag);
    if (failed(tensor))
      return failure();
    spec.inputs.push_back(*tensor);
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto tensor = tensorSpec(loc, type, func.getResultAttrDict(i), "output", i,
                             shapeFlag);
    if (failed(tensor))
      return failure();
    spec.outputs.push_back(*tensor);
  }
  return spec;
}

/// Writes `text` to `fileName` in the dump directory, if there is one.
LogicalResult dumpText(Location loc, const CompileOptions &options,
                       StringRef fileName,
                       function_ref<void(llvm::raw_ostream &)> write) {
  if (options.dumpStagesDir.empty())
    return success();
  if (std::error_code ec =
          llvm::sys::fs::create_directories(options.dumpStagesDir))
    return emitError(loc, "cannot create '")
           << options.dumpStagesDir << "': " << ec.message();
  llvm::SmallString<256> path(options.dumpStagesDir);
  llvm::sys::path::append(path, fileName);
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return emitError(loc, error);
  write(file->os());
  file->keep();
  return success();
}

/// The wall time of each stage, for --time-stages.
class StageTimes {
public:
  /// Runs `stage` and records how long it took under `name`.
  LogicalResult time(StringRef name, function_ref<LogicalResult()> stage) {
    auto start = std::chrono::steady_clock::now();
    LogicalResult result = stage();
    rows.emplace_back(name.str(), std::chrono::duration<double>(
                                      std::chrono::steady_clock::now() - start)
                                      .count());
    return result;
  }

  void print(llvm::raw_ostream &os) const {
    double total = 0;
    os << llvm::format("%-32s %8s\n", "stage", "seconds");
    for (const auto &[name, seconds] : rows) {
      os << llvm::format("%-32s %8.3f\n", name.c_str(), seconds);
      total += seconds;
    }
    os << llvm::format("%-32s %8.3f\n", "total", total);
  }

private:
  std::vector<std::pair<std::string, double>> rows;
};

/// Runs one stage: `build` fills a pass manager anchored on `anchor`,
/// which then runs on every op of that kind at the module's top level (the
/// module itself for builtin.module). The stage's IR goes to `dumpName`,
/// and the pipeline that replays it with strata-opt to `replay`.
LogicalResult runStage(ModuleOp module, const CompileOptions &options,
                       StringRef anchor,
                       function_ref<void(OpPassManager &)> build,
                       StringRef dumpName, std::string &replay,
                       StageTimes &times,
                       function_ref<bool(Operation *)> accepts = nullptr) {
  PassManager pm(module->getContext(), anchor);
  build(pm);
  if (options.configurePassManager && failed(options.configurePassManager(pm)))
    return failure();
  SmallVector<Operation *> targets;
  if (anchor == ModuleOp::getOperationName())
    targets.push_back(module);
  else
    for (Operation &op : module.getBody()->getOperations())
      if (op.getName().getStringRef() == anchor && (!accepts || accepts(&op)))
        targets.push_back(&op);
  if (failed(times.time(dumpName.drop_back(strlen(".mlir")), [&] {
        for (Operation *op : targets)
          if (failed(pm.run(op)))
            return failure();
        return success();
      })))
    return failure();
  std::string pipeline;
  llvm::raw_string_ostream os(pipeline);
  pm.printAsTextualPipeline(os);
  if (anchor != ModuleOp::getOperationName())
    pipeline = "builtin.module(" + pipeline + ")";
  replay += dumpName.str() + " " + pipeline + "\n";
  return dumpText(module.getLoc(), options, dumpName,
                  [&](llvm::raw_ostream &out) {
                    module.print(out);
                    out << "\n";
                  });
}

} // namespace

FailureOr<std::vector<uint8_t>> compileModel(MLIRContext &context,
                                             StringRef bytes, StringRef path,
                                             ModelFormat format,
                                             const CompileOptions &options) {
  Location unknown = UnknownLoc::get(&context);
  // One target per device slot; the first one's global optimizations
  // shape the regions every device runs.
  SmallVector<StringRef> names;
  StringRef(options.target).split(names, ',');
  SmallVector<const TargetBackend *> targets;
  for (StringRef name : names) {
    const TargetBackend *target = lookupTargetBackend(name);
    if (!target)
      return emitError(unknown, "unknown target '")
             << name
             << "' (available: " << llvm::join(targetBackendNames(), ", ")
             << ")";
    targets.push_back(target);
  }
  // An accelerator's host runs the kernels it cannot, in a slot of its own
  // (the last, added if --target does not name it).
  int64_t fallbackSlot = -1;
  if (StringRef host = targets.front()->hostFallback(); !host.empty()) {
    auto *at = llvm::find(names, host);
    if (at == names.end()) {
      names.push_back(host);
      targets.push_back(lookupTargetBackend(host));
      at = names.end() - 1;
    }
    fallbackSlot = at - names.begin();
  }
  if (options.optLevel > 3)
    return emitError(unknown, "optimization level ")
           << options.optLevel << " is not in 0..3";
  // Each target gets the --target-option keys it takes (a lone target gets
  // every key, and names the ones it does not know).
  llvm::DenseMap<const TargetBackend *, TargetOptions> optionsOf;
  for (const TargetBackend *target : targets) {
    TargetOptions &own = optionsOf[target];
    own.optLevel = options.optLevel;
    own.listings = !options.dumpStagesDir.empty();
    std::vector<std::string> keys = target->optionKeys();
    for (const auto &[key, value] : options.targetOptions)
      if (targets.size() == 1 || llvm::is_contained(keys, key))
        own.options[key] = value;
  }
  for (const auto &entry : options.targetOptions)
    if (targets.size() > 1 &&
        llvm::none_of(targets, [&](const TargetBackend *target) {
          return llvm::is_contained(target->optionKeys(), entry.first);
        }))
      return emitError(unknown, "no target of --target=")
             << options.target << " has the option '" << entry.first << "'";
  DialectRegistry registry;
  registry.insert<StrataDialect>();
  // The driver's own stages (to linalg, dispatch formation), then what the
  // targets add.
  registerPipelineDialects(registry);
  for (const TargetBackend *target : targets) {
    if (failed(target->checkOptions(optionsOf[target], unknown)))
      return failure();
    target->registerDialects(registry);
  }
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();

  StageTimes times;
  OwningOpRef<ModuleOp> module;
  if (failed(times.time("0-import", [&] {
        module = importModel(context, bytes, path, format, options);
        return success(static_cast<bool>(module));
      })))
    return failure();
  Location loc = module->getLoc();
  std::string replay;
  StringRef onModule = ModuleOp::getOperationName();
  if (failed(dumpText(loc, options, "0-imported.mlir",
                      [&](llvm::raw_ostream &os) {
                        module->print(os);
                        os << "\n";
                      })) ||
      failed(runStage(
          *module, options, onModule,
          [&](OpPassManager &pm) {
            pm.addPass(createStrataRefineShapesPass());
            targets.front()->buildStrataPipeline(pm,
                                                 optionsOf[targets.front()]);
          },
          "1-refined.mlir", replay, times)))
    return failure();
  FailureOr<func::FuncOp> entry = entryFunction(*module);
  if (failed(entry))
    return failure();
  FailureOr<artifact::FunctionSpec> function = describe(
      *entry, format == ModelFormat::MLIR ? "" : options.onnx.inputShapeFlag);
  if (failed(function))
    return failure();
  StrataToLinalgOptions linalg;
  linalg.optLevel = options.optLevel;
  if (failed(runStage(
          *module, options, onModule,
          [&](OpPassManager &pm) { buildStrataToLinalgPipeline(pm, linalg); },
          "2-linalg.mlir", replay, times)) ||
      failed(runStage(
          *module, options, onModule,
          [&](OpPassManager &pm) {
            targets.front()->buildGlobalOptimizationPipeline(
                pm, optionsOf[targets.front()]);
            StrataFormDispatchRegionsPassOptions regions;
            regions.target = names.front().str();
            regions.separatePooling = targets.front()->separatesPooling();
            for (const TargetBackend *target : targets)
              regions.hostConstantBytes =
                  std::min<int64_t>(regions.hostConstantBytes,
                                    target->minHostConstantBytes());
            pm.addPass(createStrataFormDispatchRegionsPass(regions));
            if (fallbackSlot >= 0)
              targets.front()->buildFallbackPipeline(
                  pm, optionsOf[targets.front()]);
            StrataPlaceDispatchesPassOptions placement;
            placement.fallbackSlot = fallbackSlot;
            if (names.size() > 1)
              for (StringRef name : names)
                placement.devices.push_back(name.str());
            placement.place.assign(options.place.begin(), options.place.end());
            pm.addPass(createStrataPlaceDispatchesPass(placement));
          },
          "3-schedule.mlir", replay, times)))
    return failure();
  // Each target compiles its own executables: a stage per target.
  llvm::StringSet<> compiled;
  for (const TargetBackend *target : targets) {
    if (!compiled.insert(target->name()).second)
      continue;
    if (failed(runStage(
            *module, options, schedule::ExecutableOp::getOperationName(),
            [&](OpPassManager &pm) {
              target->buildExecutablePipeline(pm, optionsOf[target]);
            },
            Twine(4 + compiled.size() - 1).str() + "-" + target->name().str() +
                ".mlir",
            replay, times,
            [&](Operation *op) {
              return cast<schedule::ExecutableOp>(op).getTarget() ==
                     target->name();
            })))
      return failure();
  }
  if (failed(dumpText(loc, options, "pipelines.txt",
                      [&](llvm::raw_ostream &os) { os << replay; })))
    return failure();

  SmallVector<SerializedExecutable> blobs;
  for (auto executable : module->getOps<schedule::ExecutableOp>()) {
    FailureOr<SerializedExecutable> blob;
    if (failed(times.time("serialize " + executable.getSymName().str(), [&] {
          const TargetBackend *target =
              lookupTargetBackend(executable.getTarget());
          blob = target->serializeExecutable(executable, optionsOf[target]);
          return success(succeeded(blob));
        })))
      return failure();
    for (const auto &listing : blob->listings)
      if (failed(
              dumpText(executable.getLoc(), options,
                       executable.getSymName().str() + listing.first,
                       [&](llvm::raw_ostream &os) { os << listing.second; })))
        return failure();
    blobs.push_back(std::move(*blob));
  }
  std::vector<uint8_t> bytesOut;
  if (failed(times.time("write artifact", [&]() -> LogicalResult {
        FailureOr<artifact::ArtifactSpec> spec =
            scheduleToArtifact(*module, *entry, std::move(*function), blobs);
        if (failed(spec))
          return failure();
        std::string error;
        if (!artifact::validate(*spec, &error))
          return emitError(loc, "internal error: invalid artifact: ") << error;
        bytesOut = artifact::serialize(*spec);
        return success();
      })))
    return failure();
  if (options.stageTimes)
    times.print(*options.stageTimes);
  return bytesOut;
}

} // namespace mlir::strata
