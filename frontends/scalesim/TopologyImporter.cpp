//===- TopologyImporter.cpp - SCALE-Sim topology CSVs into strata ---------===//

#include "frontends/scalesim/TopologyImporter.h"

#include "dialects/Strata/IR/StrataOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"

namespace mlir::strata {

namespace {

/// The cells of one CSV line, trimmed; a trailing empty cell (the trailing
/// comma SCALE-Sim's files have) is dropped.
SmallVector<StringRef> cells(StringRef line) {
  SmallVector<StringRef> out;
  line.split(out, ',');
  for (StringRef &cell : out)
    cell = cell.trim();
  while (!out.empty() && out.back().empty())
    out.pop_back();
  return out;
}

struct Layer {
  std::string name;
  unsigned line;
  bool gemm;
  // conv: H, W, Fh, Fw, C, NF, S; gemm: M, N, K.
  SmallVector<int64_t, 7> dims;
};

} // namespace

OwningOpRef<ModuleOp> importScaleSimTopology(StringRef text, StringRef path,
                                             MLIRContext *context) {
  context->loadDialect<StrataDialect, func::FuncDialect>();
  auto fileLoc = [&](unsigned line) {
    return FileLineColLoc::get(context, path, line, 1);
  };
  SmallVector<StringRef> lines;
  text.split(lines, '\n');
  std::optional<bool> gemm;
  std::vector<Layer> layers;
  for (unsigned i = 0; i < lines.size(); ++i) {
    SmallVector<StringRef> row = cells(lines[i].rtrim("\r"));
    if (row.empty())
      continue;
    if (!gemm) {
      // The header says which form the file has.
      bool isGemm = row.size() == 4 && row[1].equals_insensitive("M") &&
                    row[2].equals_insensitive("N") &&
                    row[3].equals_insensitive("K");
      if (!isGemm && row.size() != 8) {
        emitError(fileLoc(i + 1))
            << "not a SCALE-Sim topology: the header has " << row.size()
            << " columns; a conv topology has 8 (Layer name, IFMAP Height, "
               "IFMAP Width, Filter Height, Filter Width, Channels, Num "
               "Filter, Strides) and a GEMM one 4 (Layer name, M, N, K)";
        return nullptr;
      }
      gemm = isGemm;
      continue;
    }
    size_t want = *gemm ? 4 : 8;
    if (row.size() != want) {
      emitError(fileLoc(i + 1)) << "layer '" << row[0] << "' has " << row.size()
                                << " columns, expected " << want;
      return nullptr;
    }
    Layer layer{row[0].str(), i + 1, *gemm, {}};
    for (size_t c = 1; c < row.size(); ++c) {
      int64_t v;
      if (row[c].getAsInteger(10, v) || v < 1 || v > (int64_t(1) << 24)) {
        emitError(fileLoc(i + 1))
            << "layer '" << row[0] << "': column " << c + 1 << " is '" << row[c]
            << "', not a positive integer";
        return nullptr;
      }
      layer.dims.push_back(v);
    }
    layers.push_back(std::move(layer));
  }
  if (layers.empty()) {
    emitError(fileLoc(1)) << "the topology has no layers";
    return nullptr;
  }

  OpBuilder b(context);
  // Owned from here, so that an early return frees it.
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc(1));
  b.setInsertionPointToEnd(module->getBody());
  Type f32 = b.getF32Type();
  SmallVector<Type> inputs;
  SmallVector<std::string> inputNames;
  for (const Layer &l : layers) {
    auto d = l.dims;
    if (l.gemm) {
      inputs.push_back(RankedTensorType::get({d[0], d[2]}, f32));
      inputs.push_back(RankedTensorType::get({d[2], d[1]}, f32));
      inputNames.push_back(l.name + "_a");
      inputNames.push_back(l.name + "_b");
      continue;
    }
    int64_t h = d[0], w = d[1], fh = d[2], fw = d[3], c = d[4], nf = d[5],
            s = d[6];
    if (fh > h || fw > w) {
      emitError(fileLoc(l.line))
          << "layer '" << l.name << "': its " << fh << "x" << fw
          << " filter is larger than its " << h << "x" << w << " ifmap";
      return nullptr;
    }
    // SCALE-Sim's output size, and the input that gives it unpadded.
    int64_t oh = (h - fh + s + s - 1) / s, ow = (w - fw + s + s - 1) / s;
    int64_t ph = (oh - 1) * s + fh, pw = (ow - 1) * s + fw;
    bool depthwise = StringRef(l.name).contains("DP");
    inputs.push_back(RankedTensorType::get({1, c, ph, pw}, f32));
    inputs.push_back(RankedTensorType::get(
        {depthwise ? c : nf, depthwise ? 1 : c, fh, fw}, f32));
    inputNames.push_back(l.name + "_ifmap");
    inputNames.push_back(l.name + "_filter");
  }
  // Results are typed once the ops are built.
  auto func = func::FuncOp::create(b, fileLoc(1), "topology",
                                   b.getFunctionType(inputs, {}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  SmallVector<Value> results;
  SmallVector<std::string> resultNames;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer &l = layers[i];
    Location loc = NameLoc::get(b.getStringAttr(l.name), fileLoc(l.line));
    Value x = body->getArgument(2 * i), y = body->getArgument(2 * i + 1);
    if (l.gemm) {
      results.push_back(MatMulOp::create(b, loc, x, y));
    } else {
      int64_t s = l.dims[6];
      bool depthwise = StringRef(l.name).contains("DP");
      results.push_back(Conv2DOp::create(
          b, loc, x, y, Value(), ArrayRef<int64_t>{s, s},
          ArrayRef<int64_t>{0, 0, 0, 0}, ArrayRef<int64_t>{1, 1},
          depthwise ? uint64_t(l.dims[4]) : 1));
    }
    resultNames.push_back(l.name + "_ofmap");
  }
  func::ReturnOp::create(b, fileLoc(1), results);
  func.setType(b.getFunctionType(inputs, ValueRange(results).getTypes()));
  for (size_t i = 0; i < inputNames.size(); ++i)
    func.setArgAttr(i, "onnx.name", b.getStringAttr(inputNames[i]));
  for (size_t i = 0; i < resultNames.size(); ++i)
    func.setResultAttr(i, "onnx.name", b.getStringAttr(resultNames[i]));
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace mlir::strata
