//===- Dtype.cpp - element types ------------------------------------------===//
//
// The C enum of element types against the manifest's spellings and
// sizes.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Dtype.h"
#include "runtime/src/Status.h"

namespace strata::runtime {

namespace {
struct DtypeInfo {
  strata_dtype_t dtype;
  const char *name;
  size_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {STRATA_DTYPE_F16, "f16", 2}, {STRATA_DTYPE_BF16, "bf16", 2},
    {STRATA_DTYPE_F32, "f32", 4}, {STRATA_DTYPE_F64, "f64", 8},
    {STRATA_DTYPE_I1, "i1", 1},   {STRATA_DTYPE_I8, "i8", 1},
    {STRATA_DTYPE_I16, "i16", 2}, {STRATA_DTYPE_I32, "i32", 4},
    {STRATA_DTYPE_I64, "i64", 8}, {STRATA_DTYPE_U8, "u8", 1},
    {STRATA_DTYPE_U16, "u16", 2}, {STRATA_DTYPE_U32, "u32", 4},
    {STRATA_DTYPE_U64, "u64", 8}};

const DtypeInfo *find(strata_dtype_t dtype) {
  for (const DtypeInfo &info : kDtypes)
    if (info.dtype == dtype)
      return &info;
  return nullptr;
}
} // namespace

bool dtypeFromName(std::string_view name, strata_dtype_t *out) {
  for (const DtypeInfo &info : kDtypes)
    if (name == info.name) {
      *out = info.dtype;
      return true;
    }
  return false;
}

} // namespace strata::runtime

using namespace strata::runtime;

extern "C" {

const char *strata_dtype_name(strata_dtype_t dtype) {
  const DtypeInfo *info = find(dtype);
  return info ? info->name : nullptr;
}

size_t strata_dtype_size(strata_dtype_t dtype) {
  const DtypeInfo *info = find(dtype);
  return info ? info->size : 0;
}

strata_status_t strata_dtype_from_name(const char *name,
                                       strata_dtype_t *out_dtype) {
  if (name && out_dtype && dtypeFromName(name, out_dtype))
    return nullptr;
  return guard([&] {
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      std::string("unknown dtype '") + (name ? name : "") +
                          "' (known: f16, bf16, f32, f64, i1, i8, i16, i32, "
                          "i64, u8, u16, u32, u64)");
  });
}

} // extern "C"
