//===- EnvList.h - names listed in an environment variable ------*- C++ -*-===//

#ifndef STRATA_RUNTIME_SRC_ENVLIST_H
#define STRATA_RUNTIME_SRC_ENVLIST_H

#include <cstdlib>
#include <string_view>

namespace strata::runtime {

/// Whether `name` is one of the comma-separated names in the environment
/// variable `variable` (devices use this to pretend to lack a feature).
inline bool listedInEnv(const char *variable, std::string_view name) {
  const char *list = std::getenv(variable);
  if (!list)
    return false;
  std::string_view rest(list);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    if (rest.substr(0, comma) == name)
      return true;
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SRC_ENVLIST_H
