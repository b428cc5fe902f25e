//===- JSONImporter.cpp - JSON graphs to strata ---------------------------===//
//
// Reads the JSON graph format (docs/json-graph.md) with nlohmann/json and
// translates it into an ONNX ModelProto, so that graph checks and operator
// semantics are exactly those of the ONNX frontend. Every schema error names
// the JSON path of the offending field. Side files (.bin, .npy) become
// external data and get the ONNX frontend's directory confinement.
//
//===----------------------------------------------------------------------===//

#include "frontends/json/JSONImporter.h"
#include "frontends/onnx/ONNXImporter.h"
#include "frontends/onnx/Tensors.h"

#include "dialects/Strata/IR/ShapeInference.h"
#include "dialects/Strata/IR/StrataDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "onnx/onnx_pb.h"

#include <nlohmann/json.hpp>

using namespace mlir;
using namespace mlir::strata;
using json = nlohmann::json;
using llvm::StringRef;

namespace {
/// One supported dtype: its JSON name, ONNX type and byte width.
struct DType {
  const char *name;
  onnx::TensorProto::DataType onnx;
  int bytes;
};

constexpr DType kDTypes[] = {
    {"f32", onnx::TensorProto::FLOAT, 4},    {"f64", onnx::TensorProto::DOUBLE, 8},
    {"f16", onnx::TensorProto::FLOAT16, 2},  {"bf16", onnx::TensorProto::BFLOAT16, 2},
    {"i8", onnx::TensorProto::INT8, 1},      {"i16", onnx::TensorProto::INT16, 2},
    {"i32", onnx::TensorProto::INT32, 4},    {"i64", onnx::TensorProto::INT64, 8},
    {"u8", onnx::TensorProto::UINT8, 1},     {"u16", onnx::TensorProto::UINT16, 2},
    {"u32", onnx::TensorProto::UINT32, 4},   {"u64", onnx::TensorProto::UINT64, 8},
    {"bool", onnx::TensorProto::BOOL, 1}};

/// numpy `descr` codes of the same types (little-endian or byte-sized).
constexpr std::pair<const char *, const char *> kNpyCodes[] = {
    {"<f4", "f32"}, {"<f8", "f64"}, {"<f2", "f16"}, {"|i1", "i8"},
    {"<i2", "i16"}, {"<i4", "i32"}, {"<i8", "i64"}, {"|u1", "u8"},
    {"<u2", "u16"}, {"<u4", "u32"}, {"<u8", "u64"}, {"|b1", "bool"}};

const DType *findDType(StringRef name) {
  for (const DType &d : kDTypes)
    if (name == d.name)
      return &d;
  return nullptr;
}

class JSONGraphReader {
public:
  JSONGraphReader(MLIRContext *context, StringRef path)
      : fileLoc(FileLineColLoc::get(context, path.empty() ? "<stdin>" : path,
                                    0, 0)) {
    if (!path.empty()) {
      dir = llvm::sys::path::parent_path(path).str();
      if (dir.empty())
        dir = ".";
    }
  }

  /// Fills `model`; false after reporting the first error.
  bool read(StringRef text, onnx::ModelProto &model);

private:
  InFlightDiagnostic error(const std::string &path) {
    return emitError(fileLoc) << path << ": ";
  }

  bool checkKeys(const json &object, const std::string &path,
                 std::initializer_list<StringRef> allowed);
  const json *field(const json &object, const std::string &path,
                    StringRef key, bool required);
  bool getString(const json &value, const std::string &path,
                 std::string &out);
  const DType *getDType(const json &object, const std::string &path);
  bool readShape(const json &value, const std::string &path,
                 onnx::TensorShapeProto &shape);
  bool readValueInfo(const json &value, const std::string &path,
                     onnx::ValueInfoProto &info);
  bool readTensor(const json &value, const std::string &path,
                  onnx::TensorProto &tensor);
  bool readNpy(const std::string &file, const std::string &path,
               onnx::TensorProto &tensor);
  bool readAttribute(StringRef name, const json &value,
                     const std::string &path, onnx::AttributeProto &attr);
  bool readNode(const json &value, const std::string &path,
                onnx::NodeProto &node);

  Location fileLoc;
  std::string dir;
};
} // namespace

static std::string at(const std::string &path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

bool JSONGraphReader::checkKeys(const json &object, const std::string &path,
                                std::initializer_list<StringRef> allowed) {
  if (!object.is_object()) {
    error(path) << "expected an object";
    return false;
  }
  for (const auto &item : object.items()) {
    if (!llvm::is_contained(allowed, StringRef(item.key()))) {
      error(path + "." + item.key()) << "unknown field";
      return false;
    }
  }
  return true;
}

const json *JSONGraphReader::field(const json &object, const std::string &path,
                                   StringRef key, bool required) {
  auto it = object.find(key.str());
  if (it != object.end())
    return &*it;
  if (required)
    error(path + "." + key.str()) << "required field is missing";
  return nullptr;
}

bool JSONGraphReader::getString(const json &value, const std::string &path,
                                std::string &out) {
  if (!value.is_string()) {
    error(path) << "expected a string";
    return false;
  }
  out = value.get<std::string>();
  return true;
}

const DType *JSONGraphReader::getDType(const json &object,
                                       const std::string &path) {
  const json *value = field(object, path, "dtype", true);
  std::string name;
  if (!value || !getString(*value, path + ".dtype", name))
    return nullptr;
  const DType *dtype = findDType(name);
  if (!dtype)
    error(path + ".dtype") << "unknown dtype '" << name
                           << "' (expected f32, f64, f16, bf16, i8 to i64, "
                              "u8 to u64 or bool)";
  return dtype;
}

bool JSONGraphReader::readShape(const json &value, const std::string &path,
                                onnx::TensorShapeProto &shape) {
  if (!value.is_array()) {
    error(path) << "expected an array of dimensions";
    return false;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const json &dim = value[i];
    onnx::TensorShapeProto::Dimension *out = shape.add_dim();
    if (dim.is_number_integer() && dim.get<int64_t>() >= 0) {
      out->set_dim_value(dim.get<int64_t>());
    } else if (dim.is_null()) {
      // Dynamic.
    } else if (dim.is_string()) {
      out->set_dim_param(dim.get<std::string>());
    } else {
      error(at(path, i)) << "expected a non-negative integer, null or a "
                            "symbol name";
      return false;
    }
  }
  return true;
}

bool JSONGraphReader::readValueInfo(const json &value, const std::string &path,
                                    onnx::ValueInfoProto &info) {
  if (!checkKeys(value, path, {"name", "dtype", "shape"}))
    return false;
  const json *name = field(value, path, "name", true);
  const json *shape = field(value, path, "shape", true);
  const DType *dtype = getDType(value, path);
  std::string nameValue;
  if (!name || !shape || !dtype ||
      !getString(*name, path + ".name", nameValue))
    return false;
  info.set_name(nameValue);
  onnx::TypeProto::Tensor *tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(dtype->onnx);
  return readShape(*shape, path + ".shape", *tensor->mutable_shape());
}

/// Appends the little-endian bytes of `value` as `dtype` to `raw`.
static bool appendValue(const json &value, const DType &dtype,
                        std::string &raw) {
  if (!value.is_number() && !value.is_boolean())
    return false;
  double d = value.is_boolean() ? value.get<bool>() : value.get<double>();
  auto append = [&](const auto &v) {
    raw.append(reinterpret_cast<const char *>(&v), sizeof(v));
  };
  switch (dtype.onnx) {
  case onnx::TensorProto::FLOAT:
    append(static_cast<float>(d));
    return true;
  case onnx::TensorProto::DOUBLE:
    append(d);
    return true;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    llvm::APFloat f(d);
    bool lost;
    f.convert(dtype.onnx == onnx::TensorProto::FLOAT16
                  ? llvm::APFloat::IEEEhalf()
                  : llvm::APFloat::BFloat(),
              llvm::APFloat::rmNearestTiesToEven, &lost);
    append(static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue()));
    return true;
  }
  case onnx::TensorProto::BOOL:
    append(static_cast<uint8_t>(d != 0));
    return true;
  default:
    break;
  }
  // Integers: exact values only, in range of the type.
  if (!value.is_boolean() && !value.is_number_integer())
    return false;
  bool isUnsigned = dtype.name[0] == 'u';
  int bits = dtype.bytes * 8;
  if (isUnsigned) {
    if (value.is_number_unsigned() || value.get<int64_t>() >= 0) {
      uint64_t v = value.get<uint64_t>();
      if (bits < 64 && v >> bits)
        return false;
      raw.append(reinterpret_cast<const char *>(&v), dtype.bytes);
      return true;
    }
    return false;
  }
  if (value.is_number_unsigned() && value.get<uint64_t>() > INT64_MAX)
    return false;
  int64_t v = value.get<int64_t>();
  if (bits < 64 && (v < -(int64_t(1) << (bits - 1)) ||
                    v >= (int64_t(1) << (bits - 1))))
    return false;
  raw.append(reinterpret_cast<const char *>(&v), dtype.bytes);
  return true;
}

bool JSONGraphReader::readTensor(const json &value, const std::string &path,
                                 onnx::TensorProto &tensor) {
  if (!checkKeys(value, path,
                 {"name", "dtype", "shape", "data", "file", "offset", "npy"}))
    return false;
  std::string name;
  const json *nameValue = field(value, path, "name", false);
  if (nameValue && !getString(*nameValue, path + ".name", name))
    return false;
  tensor.set_name(name);
  const json *data = field(value, path, "data", false);
  const json *file = field(value, path, "file", false);
  const json *npy = field(value, path, "npy", false);
  if ((data != nullptr) + (file != nullptr) + (npy != nullptr) != 1) {
    error(path) << "needs exactly one of 'data', 'file' and 'npy'";
    return false;
  }
  if (npy) {
    for (StringRef key : {"dtype", "shape", "offset"})
      if (field(value, path, key, false)) {
        error(path + "." + key.str())
            << "does not apply to 'npy': the file's header gives dtype and "
               "shape";
        return false;
      }
    std::string npyFile;
    return getString(*npy, path + ".npy", npyFile) &&
           readNpy(npyFile, path, tensor);
  }
  const DType *dtype = getDType(value, path);
  const json *shape = field(value, path, "shape", true);
  if (!dtype || !shape)
    return false;
  tensor.set_data_type(dtype->onnx);
  shape::Shape dims;
  if (!shape->is_array()) {
    error(path + ".shape") << "expected an array of dimensions";
    return false;
  }
  for (size_t i = 0; i < shape->size(); ++i) {
    const json &dim = (*shape)[i];
    if (!dim.is_number_integer() || dim.get<int64_t>() < 0) {
      error(at(path + ".shape", i)) << "expected a non-negative integer";
      return false;
    }
    dims.push_back(dim.get<int64_t>());
    tensor.add_dims(dims.back());
  }
  llvm::Expected<int64_t> count = shape::numElements(dims);
  if (!count) {
    error(path + ".shape") << llvm::toString(count.takeError());
    return false;
  }
  if (file) {
    std::string location;
    if (!getString(*file, path + ".file", location))
      return false;
    int64_t offset = 0;
    if (const json *o = field(value, path, "offset", false)) {
      if (!o->is_number_integer() || o->get<int64_t>() < 0) {
        error(path + ".offset") << "expected a non-negative integer";
        return false;
      }
      offset = o->get<int64_t>();
    }
    std::optional<int64_t> length = llvm::checkedMul(*count, int64_t(dtype->bytes));
    if (!length) {
      error(path + ".shape") << "byte size overflows int64";
      return false;
    }
    tensor.set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [&](const std::string &key, const std::string &v) {
      onnx::StringStringEntryProto *entry = tensor.add_external_data();
      entry->set_key(key);
      entry->set_value(v);
    };
    add("location", location);
    add("offset", std::to_string(offset));
    add("length", std::to_string(*length));
    return true;
  }
  if (field(value, path, "offset", false)) {
    error(path + ".offset") << "only applies to 'file'";
    return false;
  }
  if (!data->is_array()) {
    error(path + ".data") << "expected a flat array of numbers";
    return false;
  }
  if (static_cast<int64_t>(data->size()) != *count) {
    error(path + ".data") << "has " << data->size() << " values, expected "
                          << *count << " for shape " << shape::format(dims);
    return false;
  }
  std::string raw;
  for (size_t i = 0; i < data->size(); ++i) {
    if (!appendValue((*data)[i], *dtype, raw)) {
      error(at(path + ".data", i)) << "is not a valid " << dtype->name
                                   << " value";
      return false;
    }
  }
  tensor.set_raw_data(raw);
  return true;
}

bool JSONGraphReader::readNpy(const std::string &file, const std::string &path,
                              onnx::TensorProto &tensor) {
  if (dir.empty()) {
    error(path + ".npy") << "side files need the graph to be read from a "
                            "file, not stdin";
    return false;
  }
  llvm::Expected<std::string> resolved =
      onnx_import::resolveInside(dir, file, ".npy file");
  if (!resolved) {
    error(path + ".npy") << llvm::toString(resolved.takeError());
    return false;
  }
  auto buffer = llvm::MemoryBuffer::getFile(*resolved);
  if (!buffer) {
    error(path + ".npy") << "cannot read '" << file
                         << "': " << buffer.getError().message();
    return false;
  }
  // Magic, version, header length, then a Python dict literal.
  StringRef bytes = (*buffer)->getBuffer();
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10) {
    error(path + ".npy") << "'" << file << "' is not a .npy file";
    return false;
  }
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t lengthBytes = major == 1 ? 2 : 4;
  if (major < 1 || major > 3 || bytes.size() < 8 + lengthBytes) {
    error(path + ".npy") << "'" << file << "' has unsupported .npy version "
                         << major;
    return false;
  }
  size_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes; ++i)
    headerLength |= size_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  size_t dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.size()) {
    error(path + ".npy") << "'" << file << "' has a truncated header";
    return false;
  }
  StringRef header = bytes.slice(8 + lengthBytes, dataStart);
  auto entry = [&](StringRef key) {
    size_t pos = header.find(("'" + key + "':").str());
    return pos == StringRef::npos
               ? StringRef()
               : header.drop_front(pos + key.size() + 3).ltrim();
  };
  StringRef descr = entry("descr"), order = entry("fortran_order"),
            shapeText = entry("shape");
  const char *dtypeName = nullptr;
  for (auto [code, name] : kNpyCodes)
    if (descr.starts_with(("'" + StringRef(code) + "'").str()))
      dtypeName = name;
  if (!dtypeName) {
    error(path + ".npy") << "'" << file << "' has unsupported dtype "
                         << descr.take_until([](char c) { return c == ','; });
    return false;
  }
  if (!order.starts_with("False")) {
    error(path + ".npy") << "'" << file
                         << "' is Fortran-ordered; only C order is supported";
    return false;
  }
  if (!shapeText.consume_front("(")) {
    error(path + ".npy") << "'" << file << "' has a malformed shape";
    return false;
  }
  shapeText = shapeText.take_until([](char c) { return c == ')'; });
  shape::Shape dims;
  for (StringRef part : llvm::split(shapeText, ',')) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0) {
      error(path + ".npy") << "'" << file << "' has a malformed shape";
      return false;
    }
    dims.push_back(d);
  }
  const DType *dtype = findDType(dtypeName);
  llvm::Expected<int64_t> count = shape::numElements(dims);
  std::optional<int64_t> length =
      count ? llvm::checkedMul(*count, int64_t(dtype->bytes)) : std::nullopt;
  if (!count || !length) {
    if (!count)
      llvm::consumeError(count.takeError());
    error(path + ".npy") << "'" << file << "' has a shape whose size overflows";
    return false;
  }
  tensor.set_data_type(dtype->onnx);
  for (int64_t d : dims)
    tensor.add_dims(d);
  tensor.set_data_location(onnx::TensorProto::EXTERNAL);
  for (auto [key, v] : {std::pair<std::string, std::string>{"location", file},
                        {"offset", std::to_string(dataStart)},
                        {"length", std::to_string(*length)}}) {
    onnx::StringStringEntryProto *e = tensor.add_external_data();
    e->set_key(key);
    e->set_value(v);
  }
  return true;
}

bool JSONGraphReader::readAttribute(StringRef name, const json &value,
                                    const std::string &path,
                                    onnx::AttributeProto &attr) {
  attr.set_name(name.str());
  if (value.is_boolean() || value.is_number_integer()) {
    attr.set_type(onnx::AttributeProto::INT);
    attr.set_i(value.is_boolean() ? value.get<bool>() : value.get<int64_t>());
    return true;
  }
  if (value.is_number_float()) {
    attr.set_type(onnx::AttributeProto::FLOAT);
    attr.set_f(value.get<float>());
    return true;
  }
  if (value.is_string()) {
    attr.set_type(onnx::AttributeProto::STRING);
    attr.set_s(value.get<std::string>());
    return true;
  }
  if (value.is_object()) {
    if (!checkKeys(value, path, {"tensor"}))
      return false;
    attr.set_type(onnx::AttributeProto::TENSOR);
    const json *tensor = field(value, path, "tensor", true);
    return tensor &&
           readTensor(*tensor, path + ".tensor", *attr.mutable_t());
  }
  if (!value.is_array()) {
    error(path) << "expected a number, string, array or {\"tensor\": ...}";
    return false;
  }
  bool anyFloat = false, allStrings = !value.empty();
  for (const json &v : value) {
    anyFloat |= v.is_number_float();
    allStrings &= v.is_string();
  }
  attr.set_type(allStrings ? onnx::AttributeProto::STRINGS
                : anyFloat ? onnx::AttributeProto::FLOATS
                           : onnx::AttributeProto::INTS);
  for (size_t i = 0; i < value.size(); ++i) {
    const json &v = value[i];
    if (allStrings) {
      attr.add_strings(v.get<std::string>());
    } else if (v.is_number()) {
      if (anyFloat)
        attr.add_floats(v.get<float>());
      else
        attr.add_ints(v.get<int64_t>());
    } else {
      error(at(path, i)) << "expected a number";
      return false;
    }
  }
  return true;
}

bool JSONGraphReader::readNode(const json &value, const std::string &path,
                               onnx::NodeProto &node) {
  if (!checkKeys(value, path,
                 {"name", "op", "domain", "inputs", "outputs", "attributes"}))
    return false;
  std::string text;
  const json *op = field(value, path, "op", true);
  if (!op || !getString(*op, path + ".op", text))
    return false;
  node.set_op_type(text);
  for (auto [key, setter] :
       {std::pair<StringRef, void (onnx::NodeProto::*)(const std::string &)>{
            "name", &onnx::NodeProto::set_name},
        {"domain", &onnx::NodeProto::set_domain}}) {
    if (const json *v = field(value, path, key, false)) {
      if (!getString(*v, path + "." + key.str(), text))
        return false;
      (node.*setter)(text);
    }
  }
  for (auto [key, required] :
       {std::pair<StringRef, bool>{"inputs", false}, {"outputs", true}}) {
    const json *list = field(value, path, key, required);
    if (!list) {
      if (required)
        return false;
      continue;
    }
    std::string listPath = path + "." + key.str();
    if (!list->is_array()) {
      error(listPath) << "expected an array of value names";
      return false;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      if (!getString((*list)[i], at(listPath, i), text))
        return false;
      if (key == "inputs")
        node.add_input(text);
      else
        node.add_output(text);
    }
  }
  if (const json *attrs = field(value, path, "attributes", false)) {
    if (!attrs->is_object()) {
      error(path + ".attributes") << "expected an object";
      return false;
    }
    for (const auto &item : attrs->items())
      if (!readAttribute(item.key(), item.value(),
                         path + ".attributes." + item.key(),
                         *node.add_attribute()))
        return false;
  }
  return true;
}

bool JSONGraphReader::read(StringRef text, onnx::ModelProto &model) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error &e) {
    emitError(fileLoc) << "not valid JSON: " << e.what();
    return false;
  }
  if (!checkKeys(root, "$",
                 {"format", "version", "name", "opset", "inputs", "outputs",
                  "tensors", "nodes"}))
    return false;
  const json *format = field(root, "$", "format", true);
  std::string formatName;
  if (!format || !getString(*format, "$.format", formatName))
    return false;
  if (formatName != "strata-graph") {
    error("$.format") << "expected \"strata-graph\", got \"" << formatName
                      << "\"";
    return false;
  }
  const json *version = field(root, "$", "version", true);
  if (!version)
    return false;
  if (!version->is_number_integer() || version->get<int64_t>() != 1) {
    error("$.version") << "only version 1 is supported";
    return false;
  }
  model.set_ir_version(8);
  int64_t opset = 17;
  if (const json *o = field(root, "$", "opset", false)) {
    if (!o->is_number_integer()) {
      error("$.opset") << "expected an integer";
      return false;
    }
    opset = o->get<int64_t>();
  }
  model.add_opset_import()->set_version(opset);
  onnx::GraphProto *graph = model.mutable_graph();
  std::string name = "main";
  if (const json *n = field(root, "$", "name", false))
    if (!getString(*n, "$.name", name))
      return false;
  graph->set_name(name);

  for (auto key : {"inputs", "outputs", "tensors", "nodes"}) {
    const json *list = field(root, "$", key, StringRef(key) != "tensors");
    if (!list) {
      if (StringRef(key) != "tensors")
        return false;
      continue;
    }
    std::string listPath = std::string("$.") + key;
    if (!list->is_array()) {
      error(listPath) << "expected an array";
      return false;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      const json &item = (*list)[i];
      std::string itemPath = at(listPath, i);
      bool ok = true;
      if (StringRef(key) == "inputs") {
        ok = readValueInfo(item, itemPath, *graph->add_input());
      } else if (StringRef(key) == "outputs") {
        std::string outputName;
        ok = getString(item, itemPath, outputName);
        graph->add_output()->set_name(outputName);
      } else if (StringRef(key) == "tensors") {
        onnx::TensorProto *tensor = graph->add_initializer();
        ok = readTensor(item, itemPath, *tensor);
        if (ok && tensor->name().empty()) {
          error(itemPath + ".name") << "required field is missing";
          ok = false;
        }
      } else {
        ok = readNode(item, itemPath, *graph->add_node());
      }
      if (!ok)
        return false;
    }
  }
  return true;
}

OwningOpRef<ModuleOp> mlir::strata::importJSONGraph(StringRef text,
                                                    StringRef path,
                                                    MLIRContext *context) {
  onnx::ModelProto model;
  if (!JSONGraphReader(context, path).read(text, model))
    return nullptr;
  return importONNXModel(model, path, context);
}

void mlir::strata::registerJSONImportTranslation() {
  static TranslateToMLIRRegistration registration(
      "import-json",
      "Import a JSON graph (docs/json-graph.md) into the strata dialect",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context) {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        StringRef path = buffer->getBufferIdentifier();
        if (path == "<stdin>")
          path = "";
        return OwningOpRef<Operation *>(
            importJSONGraph(buffer->getBuffer(), path, context).release());
      },
      [](DialectRegistry &registry) {
        registry.insert<StrataDialect, func::FuncDialect>();
      });
}
