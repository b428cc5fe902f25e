//===- GraphImporter.cpp - ONNX ModelProto to a strata function -----------===//
//
// Parses the protobuf, checks the graph's structure (names, edges, cycles),
// turns initializers into constants and inputs into arguments, then imports
// the nodes in dependency order through the op table. It never calls ONNX's
// checker or shape inference: the strata ops' own inference does that job.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/ONNXImporter.h"
#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/Tensors.h"

#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/IR/StrataOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "onnx/onnx_pb.h"

#include <deque>

using namespace mlir;
using namespace mlir::strata;
using namespace mlir::strata::onnx_import;

/// The opsets whose semantics the op handlers implement.
static constexpr int64_t kMinOpset = 1, kMaxOpset = 17;

namespace {
class GraphImporter {
public:
  GraphImporter(MLIRContext *context, StringRef modelPath,
                const ONNXImportOptions &options)
      : context(context), options(options), builder(context),
        fileLoc(FileLineColLoc::get(context,
                                    modelPath.empty() ? "<stdin>" : modelPath,
                                    0, 0)) {
    if (!modelPath.empty())
      modelDir = llvm::sys::path::parent_path(modelPath).str();
    if (modelPath.size() && modelDir.empty())
      modelDir = ".";
    registerElementwiseOps(table);
    registerNNOps(table);
    registerTensorOps(table);
    registerQuantizationOps(table);
    registerRecurrentOps(table);
    registerFeatureOps(table);
    registerControlFlowOps(table);
  }

  OwningOpRef<ModuleOp> import(StringRef bytes);
  OwningOpRef<ModuleOp> import(const onnx::ModelProto &model);

private:
  LogicalResult importGraph(const onnx::GraphProto &graph, ModuleOp module);
  FailureOr<SmallVector<const onnx::NodeProto *>>
  sortNodes(const onnx::GraphProto &graph);
  LogicalResult importBody(const onnx::GraphProto &graph, StringRef where);
  LogicalResult importNode(const onnx::NodeProto &node);
  FailureOr<SmallVector<Value>> importSubgraph(const onnx::GraphProto &graph,
                                               ArrayRef<Value> inputs);
  LogicalResult defineValue(StringRef name, Value value, StringRef what);

  InFlightDiagnostic error() { return emitError(fileLoc); }

  MLIRContext *context;
  const ONNXImportOptions &options;
  OpBuilder builder;
  Location fileLoc;
  std::string modelDir;
  int64_t opset = 0;
  OpTable table;
  /// Every name in scope: the current graph's and its enclosing graphs',
  /// inner definitions shadowing outer ones.
  llvm::StringMap<Value> values;
  /// The names the current graph itself defines, which must be unique in it.
  llvm::StringSet<> local;
};

void collectCapturedNames(const onnx::GraphProto &graph,
                          llvm::StringSet<> &free);

/// Adds to `free` the names that the subgraphs of `node` (If's branches,
/// Loop's and Scan's body) capture from the graphs around the node.
void collectCapturedNames(const onnx::NodeProto &node,
                          llvm::StringSet<> &free) {
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.has_g())
      collectCapturedNames(attr.g(), free);
    for (const onnx::GraphProto &g : attr.graphs())
      collectCapturedNames(g, free);
  }
}

/// Adds to `free` the names that `graph` (or a graph nested in it) reads but
/// does not define: the values it captures from its enclosing scopes.
void collectCapturedNames(const onnx::GraphProto &graph,
                          llvm::StringSet<> &free) {
  llvm::StringSet<> defined, read;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::TensorProto &tensor : graph.initializer())
    defined.insert(tensor.name());
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &output : node.output())
      defined.insert(output);
    for (const std::string &input : node.input())
      read.insert(input);
    collectCapturedNames(node, read);
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    read.insert(output.name());
  for (const auto &name : read)
    if (!name.getKey().empty() && !defined.contains(name.getKey()))
      free.insert(name.getKey());
}
} // namespace

OwningOpRef<ModuleOp> GraphImporter::import(StringRef bytes) {
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error() << "not a valid ONNX model: the protobuf does not parse "
               "(truncated or not an ONNX file)";
    return nullptr;
  }
  return import(model);
}

OwningOpRef<ModuleOp> GraphImporter::import(const onnx::ModelProto &model) {
  if (!model.has_graph()) {
    error() << "not a valid ONNX model: it has no graph";
    return nullptr;
  }
  // IR versions before 3 had no opset imports and meant opset 1. A model
  // that imports only other domains keeps opset 0: its default-domain nodes
  // are then rejected one by one.
  if (model.ir_version() < 3)
    opset = 1;
  for (const onnx::OperatorSetIdProto &import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      opset = import.version();
  if (opset != 0 && (opset < kMinOpset || opset > kMaxOpset)) {
    error() << "opset " << opset << " not supported (Strata imports opsets "
            << kMinOpset << " to " << kMaxOpset << ")";
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  if (failed(importGraph(model.graph(), *module)))
    return nullptr;
  return module;
}

LogicalResult GraphImporter::defineValue(StringRef name, Value value,
                                         StringRef what) {
  if (!local.insert(name).second)
    return error() << what << " '" << name
                   << "' reuses a name that is already defined";
  values[name] = value;
  return success();
}

LogicalResult GraphImporter::importGraph(const onnx::GraphProto &graph,
                                         ModuleOp module) {
  if (graph.output_size() == 0)
    return error() << "the graph has no outputs";

  // Arguments: graph inputs that are neither initializers nor bound to
  // constants by the options.
  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializerNames.insert(tensor.name());
  llvm::StringMap<DenseElementsAttr> bound;
  for (const auto &[name, text] : options.boundInputs) {
    llvm::Expected<DenseElementsAttr> value = readTensorValue(text, context);
    if (!value)
      return error() << "bound input '" << name
                     << "': " << llvm::toString(value.takeError());
    bound[name] = *value;
  }
  llvm::StringMap<ArrayRef<int64_t>> shapes;
  for (const auto &[name, dims] : options.inputShapes)
    shapes[name] = dims;
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  SmallVector<std::pair<std::string, DenseElementsAttr>> constants;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    llvm::Expected<RankedTensorType> type =
        convertValueType(input.type(), context);
    if (!type)
      return error() << "graph input '" << input.name()
                     << "': " << llvm::toString(type.takeError());
    auto shape = shapes.find(input.name());
    if (shape != shapes.end()) {
      auto specialized = type->clone(shape->second);
      if (!areCompatibleResultTypes(TypeRange{*type}, TypeRange{specialized}))
        return error() << "input shape " << specialized << " for '"
                       << input.name() << "' contradicts the declared "
                       << *type;
      *type = specialized;
      shapes.erase(shape);
    }
    if (DenseElementsAttr value = bound.lookup(input.name())) {
      if (value.getElementType() != type->getElementType() ||
          !areCompatibleResultTypes(TypeRange{*type}, TypeRange{value.getType()}))
        return error() << "bound input '" << input.name() << "' has type "
                       << value.getType() << ", but the graph declares "
                       << *type;
      constants.emplace_back(input.name(), value);
      bound.erase(input.name());
      continue;
    }
    argTypes.push_back(*type);
    args.push_back(&input);
  }
  if (!bound.empty())
    return error() << "bound input '" << bound.begin()->getKey()
                   << "' is not an input of the graph";
  if (!shapes.empty())
    return error() << "input shape given for '" << shapes.begin()->getKey()
                   << "', which is not an input of the graph";

  std::string name = graph.name().empty() ? "main" : graph.name();
  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, fileLoc, name,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  for (auto [i, input] : llvm::enumerate(args)) {
    func.setArgAttr(i, "onnx.name", builder.getStringAttr(input->name()));
    if (failed(defineValue(input->name(), body->getArgument(i), "graph input")))
      return failure();
  }

  for (const auto &[name, value] : constants) {
    Location loc = NameLoc::get(builder.getStringAttr(name), fileLoc);
    if (failed(defineValue(name, ConstantOp::create(builder, loc, value),
                           "bound input")))
      return failure();
  }
  if (failed(importBody(graph, "")))
    return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value = values.lookup(output.name());
    if (!value)
      return error() << "graph output '" << output.name()
                     << "' is not produced by any node, input or initializer";
    if (output.type().has_tensor_type() &&
        output.type().tensor_type().elem_type() != 0) {
      llvm::Expected<Type> declared = convertElementType(
          output.type().tensor_type().elem_type(), context);
      Type computed = cast<RankedTensorType>(value.getType()).getElementType();
      if (!declared)
        return error() << "graph output '" << output.name()
                       << "': " << llvm::toString(declared.takeError());
      if (*declared != computed)
        return error() << "graph output '" << output.name()
                       << "' is declared with element type " << *declared
                       << " but the graph computes " << computed;
    }
    results.push_back(value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  // Folding leaves constants that only fed folded ops; drop them.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (isOpTriviallyDead(&op))
      op.erase();
  func.setType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "onnx.name", builder.getStringAttr(output.name()));
  return success();
}

/// Defines the graph's initializers as constants and imports its nodes in
/// dependency order; `where` follows "initializer 'NAME'" in errors.
LogicalResult GraphImporter::importBody(const onnx::GraphProto &graph,
                                        StringRef where) {
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    llvm::Expected<DenseElementsAttr> value =
        convertTensor(tensor, modelDir, context);
    if (!value)
      return error() << "initializer '" << tensor.name() << "'" << where
                     << ": " << llvm::toString(value.takeError());
    Location loc = NameLoc::get(builder.getStringAttr(tensor.name()), fileLoc);
    if (failed(defineValue(tensor.name(), ConstantOp::create(builder, loc, *value),
                           "initializer")))
      return failure();
  }
  FailureOr<SmallVector<const onnx::NodeProto *>> order = sortNodes(graph);
  if (failed(order))
    return failure();
  for (const onnx::NodeProto *node : *order)
    if (failed(importNode(*node)))
      return failure();
  return success();
}

FailureOr<SmallVector<const onnx::NodeProto *>>
GraphImporter::sortNodes(const onnx::GraphProto &graph) {
  // Which node defines each value, rejecting names defined twice. A node
  // may shadow a name of an enclosing graph, not one of its own graph.
  llvm::StringMap<size_t> producer;
  for (auto [i, node] : llvm::enumerate(graph.node())) {
    for (const std::string &output : node.output()) {
      if (output.empty())
        continue;
      if (local.contains(output))
        return error() << "node '" << displayName(node) << "' ("
                       << node.op_type() << ") redefines '" << output
                       << "', which is a graph input or initializer";
      auto [it, inserted] = producer.try_emplace(output, i);
      if (!inserted)
        return error() << "value '" << output << "' is produced by node '"
                       << displayName(graph.node(it->second))
                       << "' and again by '" << displayName(node) << "'";
    }
  }
  // Kahn's algorithm over node-to-node edges, keeping the file's order
  // among ready nodes. A node with subgraphs also depends on the producers
  // of the values they capture, at any depth.
  size_t n = graph.node_size();
  SmallVector<unsigned> pending(n, 0);
  SmallVector<SmallVector<size_t>> users(n);
  for (auto [i, node] : llvm::enumerate(graph.node())) {
    for (const std::string &input : node.input()) {
      if (input.empty())
        continue;
      auto it = producer.find(input);
      if (it == producer.end()) {
        if (values.count(input))
          continue;
        return error() << "node '" << displayName(node) << "' ("
                       << node.op_type() << ") reads '" << input
                       << "', which no node, graph input or initializer "
                          "defines";
      }
      ++pending[i];
      users[it->second].push_back(i);
    }
    llvm::StringSet<> captured;
    collectCapturedNames(node, captured);
    // A captured name no one defines is reported where it is read.
    for (const auto &name : captured) {
      auto it = producer.find(name.getKey());
      if (it == producer.end())
        continue;
      ++pending[i];
      users[it->second].push_back(i);
    }
  }
  std::deque<size_t> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0)
      ready.push_back(i);
  SmallVector<const onnx::NodeProto *> order;
  while (!ready.empty()) {
    size_t i = ready.front();
    ready.pop_front();
    order.push_back(&graph.node(i));
    for (size_t user : users[i])
      if (--pending[user] == 0)
        ready.push_back(user);
  }
  if (order.size() != n) {
    for (size_t i = 0; i < n; ++i)
      if (pending[i] != 0)
        return error() << "node '" << displayName(graph.node(i)) << "' ("
                       << graph.node(i).op_type()
                       << ") is part of a cycle in the graph";
  }
  return order;
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node) {
  SmallVector<Value> inputs;
  for (const std::string &input : node.input())
    inputs.push_back(input.empty() ? Value() : values.lookup(input));
  NodeImporter importer(node, opset, builder, fileLoc, inputs, modelDir);
  importer.bindInputFlag = options.bindInputFlag;
  importer.inputShapeFlag = options.inputShapeFlag;
  auto subgraphs = [this](const onnx::GraphProto &graph,
                          ArrayRef<Value> inputs) {
    return importSubgraph(graph, inputs);
  };
  importer.importSubgraph = subgraphs;
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return importer.unsupported("operator domain '" + node.domain() + "' is");
  if (opset == 0)
    return importer.error() << "the model imports no version of the default "
                               "ONNX opset";
  auto handler = table.find(node.op_type());
  if (handler == table.end())
    return importer.unsupported("the operator is");
  // Every rejection must say why: a handler that fails silently gets a
  // generic message rather than none.
  bool reported = false, noted = false;
  LogicalResult imported = failure();
  {
    ScopedDiagnosticHandler watch(context, [&](Diagnostic &diag) {
      reported |= diag.getSeverity() == DiagnosticSeverity::Error;
      noted |= !diag.getNotes().empty();
      return failure();
    });
    imported = handler->second(importer);
  }
  if (failed(imported)) {
    if (!reported)
      importer.error() << "could not be imported";
    // A node that fails on dynamic dims deep in the graph is fixed where the
    // user can act: at the graph inputs those dims come from.
    if (!noted && llvm::any_of(inputs, [](Value v) {
          return v && !cast<ShapedType>(v.getType()).hasStaticShape();
        })) {
      InFlightDiagnostic note =
          context->getDiagEngine().emit(fileLoc, DiagnosticSeverity::Note);
      note << "node '" << displayName(node)
           << "' sees dynamic dims; they come from the graph inputs below";
      importer.noteGraphInputs(note, inputs, /*bind=*/false);
    }
    return failure();
  }
  for (auto [i, output] : llvm::enumerate(node.output())) {
    if (output.empty())
      continue;
    if (i >= importer.results.size() || !importer.results[i])
      return importer.unsupported("output " + Twine(i) + " ('" + output +
                                  "') is");
    if (failed(defineValue(output, importer.results[i], "node output")))
      return failure();
  }
  return success();
}

FailureOr<SmallVector<Value>>
GraphImporter::importSubgraph(const onnx::GraphProto &graph,
                              ArrayRef<Value> inputs) {
  std::string name = graph.name().empty() ? "<unnamed>" : graph.name();
  if (static_cast<size_t>(graph.input_size()) != inputs.size())
    return error() << "subgraph '" << name << "' takes " << graph.input_size()
                   << " inputs, but is given " << inputs.size();
  // Names the subgraph defines shadow the enclosing ones only inside it.
  llvm::StringMap<Value> enclosing = values;
  llvm::StringSet<> enclosingLocal = std::move(local);
  local.clear();
  llvm::scope_exit restore([&] {
    values = std::move(enclosing);
    local = std::move(enclosingLocal);
  });
  for (auto [input, value] : llvm::zip(graph.input(), inputs))
    if (failed(defineValue(input.name(), value,
                           "input of subgraph '" + name + "'")))
      return failure();
  if (failed(importBody(graph, " of subgraph '" + name + "'")))
    return failure();
  SmallVector<Value> outputs;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value = values.lookup(output.name());
    if (!value)
      return error() << "output '" << output.name() << "' of subgraph '"
                     << name << "' is not defined in it or around it";
    outputs.push_back(value);
  }
  return outputs;
}

OwningOpRef<ModuleOp>
mlir::strata::importONNXModel(StringRef bytes, StringRef modelPath,
                              MLIRContext *context,
                              const ONNXImportOptions &options) {
  context->loadDialect<StrataDialect, func::FuncDialect>();
  return GraphImporter(context, modelPath, options).import(bytes);
}

OwningOpRef<ModuleOp>
mlir::strata::importONNXModel(const onnx::ModelProto &model,
                              StringRef modelPath, MLIRContext *context,
                              const ONNXImportOptions &options) {
  context->loadDialect<StrataDialect, func::FuncDialect>();
  return GraphImporter(context, modelPath, options).import(model);
}

static llvm::cl::list<std::string> boundInputFlags(
    "onnx-bind-input",
    llvm::cl::desc("With --import-onnx: replace graph input NAME by a "
                   "constant (a literal such as i64=3, @file.npy, @file.pb)"),
    llvm::cl::value_desc("NAME=VALUE"));

static llvm::cl::list<std::string> inputShapeFlags(
    "onnx-input-shape",
    llvm::cl::desc("With --import-onnx: give graph input NAME the static "
                   "shape DIMS (e.g. 1x3x224x224)"),
    llvm::cl::value_desc("NAME=DIMS"));

std::string mlir::strata::staticShapeHint(StringRef name, ShapedType type,
                                          StringRef inputShapeFlag) {
  std::string declared, example;
  for (auto [i, dim] : llvm::enumerate(type.getShape())) {
    std::string size = ShapedType::isDynamic(dim) ? "" : std::to_string(dim);
    declared += (i ? "x" : "") + (size.empty() ? "?" : size);
    example += (i ? "x" : "") + (size.empty() ? "1" : size);
  }
  return ("is declared " + declared + "; compile it at a static shape with " +
          inputShapeFlag + "=" + name + "=" + example +
          ", each ? replaced by the size to compile for")
      .str();
}

bool mlir::strata::parseInputShapeFlag(StringRef flag, MLIRContext *context,
                                       ONNXImportOptions &options) {
  auto [name, dims] = flag.split('=');
  std::vector<int64_t> shape;
  bool ok = !name.empty() && !dims.empty();
  for (StringRef dim : llvm::split(dims, 'x')) {
    int64_t d;
    ok &= !dim.getAsInteger(10, d) && d >= 0;
    shape.push_back(d);
  }
  if (!ok) {
    emitError(UnknownLoc::get(context))
        << "an input shape must be NAME=DIMS like x=1x3x224x224, got '"
        << flag << "'";
    return false;
  }
  options.inputShapes.emplace_back(name.str(), std::move(shape));
  return true;
}

void mlir::strata::registerONNXImportTranslation() {
  static TranslateToMLIRRegistration registration(
      "import-onnx", "Import an ONNX model (.onnx) into the strata dialect",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context) {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        StringRef path = buffer->getBufferIdentifier();
        if (path == "<stdin>")
          path = "";
        ONNXImportOptions options;
        options.bindInputFlag = "--onnx-bind-input";
        options.inputShapeFlag = "--onnx-input-shape";
        for (StringRef flag : boundInputFlags) {
          auto [name, file] = flag.split('=');
          if (name.empty() || file.empty()) {
            emitError(UnknownLoc::get(context))
                << "--onnx-bind-input expects NAME=VALUE, got '" << flag << "'";
            return OwningOpRef<Operation *>();
          }
          options.boundInputs.emplace_back(name.str(), file.str());
        }
        for (StringRef flag : inputShapeFlags)
          if (!parseInputShapeFlag(flag, context, options))
            return OwningOpRef<Operation *>();
        return OwningOpRef<Operation *>(
            importONNXModel(buffer->getBuffer(), path, context, options)
                .release());
      },
      [](DialectRegistry &registry) {
        registry.insert<StrataDialect, func::FuncDialect>();
      });
}
