//===- FileIO.cpp - write files without leaving them half-written ---------===//
//
// The data goes to a temporary file beside the destination, is fsync'ed and
// then renamed over it, so readers see the old file or the whole new one.
// Kept apart from the artifact code so tools can link it alone.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/Artifact.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::artifact {

namespace {

bool writeAll(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

} // namespace

bool writeFileAtomically(const std::string &path,
                         const std::vector<uint8_t> &bytes,
                         std::string *error) {
  if (path == "-") {
    if (!writeAll(STDOUT_FILENO, bytes.data(), bytes.size())) {
      *error = std::string("cannot write to stdout: ") + std::strerror(errno);
      return false;
    }
    return true;
  }
  // A device or a pipe (-o /dev/null) is written in place: renaming a file
  // over it would replace the device with that file.
  struct stat status;
  if (::stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode) &&
      !S_ISDIR(status.st_mode)) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    bool ok = fd >= 0 && writeAll(fd, bytes.data(), bytes.size());
    int savedErrno = errno;
    if (fd >= 0 && ::close(fd) != 0 && ok) {
      ok = false;
      savedErrno = errno;
    }
    if (!ok)
      *error = "cannot write '" + path + "': " + std::strerror(savedErrno);
    return ok;
  }
  // O_EXCL with mode 0666 lets the umask apply, as for any new file; the
  // pid and a counter keep concurrent writers apart.
  static std::atomic<unsigned> counter{0};
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    temp = path + ".tmp." + std::to_string(::getpid()) + "." +
           std::to_string(counter++);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST)
      break;
  }
  if (fd < 0) {
    *error = "cannot create a temporary file beside '" + path +
             "': " + std::strerror(errno);
    return false;
  }
  bool ok = writeAll(fd, bytes.data(), bytes.size()) && ::fsync(fd) == 0;
  int savedErrno = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (ok && ::rename(temp.c_str(), path.c_str()) == 0)
    return true;
  if (ok)
    savedErrno = errno;
  ::unlink(temp.c_str());
  *error = "cannot write '" + path + "': " + std::strerror(savedErrno);
  return false;
}

} // namespace strata::artifact
