//===- ThreadPool.h - persistent workers for cpu dispatches -----*- C++ -*-===//
//
// A dispatch has many small, independent workgroups; starting threads per
// dispatch would cost more than many of them take, so the workers live as
// long as the device and wait between jobs. A model runs hundreds of
// dispatches of tens of microseconds each, back to back, and waking a
// sleeping thread takes about as long in a VM: so waiting threads spin a
// little before they sleep.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_CPU_THREADPOOL_H
#define STRATA_RUNTIME_DEVICES_CPU_THREADPOOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace strata::runtime {

class ThreadPool {
public:
  /// A pool of `threads` threads in all: the caller of parallelFor and
  /// `threads - 1` workers.
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Calls `body(i)` for every i in [0, count), spread over the pool, and
  /// returns when all calls have returned. Once a call returns false no
  /// further indices are handed out. Callers take turns.
  void parallelFor(uint64_t count, const std::function<bool(uint64_t)> &body);

private:
  void runChunks();
  void workerMain();

  std::vector<std::thread> workers;
  std::mutex submitMutex; // one job at a time
  std::mutex mutex;       // guards the job fields below and the sleeps
  std::condition_variable wake, done;
  /// Bumped, with release order, once a job's fields are set.
  std::atomic<uint64_t> generation{0};
  std::atomic<bool> stopping{false};
  std::atomic<unsigned> busyWorkers{0};
  const std::function<bool(uint64_t)> *body = nullptr;
  uint64_t count = 0, chunk = 1;
  std::atomic<uint64_t> next{0};
  std::atomic<bool> stopped{false};
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_CPU_THREADPOOL_H
