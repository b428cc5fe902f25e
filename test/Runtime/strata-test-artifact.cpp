//===- strata-test-artifact.cpp - write the runtime tests' artifacts ------===//
//
//   strata-test-artifact MODEL [--dtype=f32] [--shape=2x2] -o FILE
//
// Writes one of TestArtifacts.h's models; --dtype and --shape (dims joined
// by 'x', empty for a scalar) shape the identity model.
//
//===----------------------------------------------------------------------===//

#include "test/Runtime/TestArtifacts.h"

#include <cstdio>
#include <cstdlib>

using namespace strata;

namespace {

int usage(const char *message) {
  std::fprintf(stderr,
               "strata-test-artifact: %s\nusage: strata-test-artifact MODEL "
               "[--dtype=D] [--shape=AxB] -o FILE\n",
               message);
  return 1;
}

bool parseShape(const std::string &text, std::vector<int64_t> *shape) {
  shape->clear();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('x', start);
    if (end == std::string::npos)
      end = text.size();
    std::string dim = text.substr(start, end - start);
    char *rest = nullptr;
    long long value = std::strtoll(dim.c_str(), &rest, 10);
    if (dim.empty() || *rest != '\0')
      return false;
    shape->push_back(value);
    start = end + 1;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  std::string model, output, dtype = "f32";
  std::vector<int64_t> shape = {2, 2};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-o" && i + 1 < argc)
      output = argv[++i];
    else if (arg.rfind("--dtype=", 0) == 0)
      dtype = arg.substr(8);
    else if (arg.rfind("--shape=", 0) == 0) {
      if (!parseShape(arg.substr(8), &shape))
        return usage("bad --shape");
    } else if (model.empty() && arg[0] != '-')
      model = arg;
    else
      return usage(("unexpected argument '" + arg + "'").c_str());
  }
  if (model.empty() || output.empty())
    return usage("need a model and -o FILE");

  artifact::ArtifactSpec spec;
  if (!testing::namedModel(model, dtype, shape, &spec))
    return usage(("unknown model '" + model + "'").c_str());
  std::string error;
  if (!artifact::validate(spec, &error) ||
      !artifact::writeFileAtomically(output, artifact::serialize(spec),
                                     &error)) {
    std::fprintf(stderr, "strata-test-artifact: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
