//===- ThreadPool.cpp - persistent workers for cpu dispatches -------------===//
//
// Workers that spin briefly, then sleep, between dispatches and take
// workgroup ids from one atomic counter; the calling thread works too, and
// runs a dispatch of one workgroup alone.
//
//===----------------------------------------------------------------------===//

#include "runtime/devices/cpu/ThreadPool.h"

#include <algorithm>
#include <chrono>

namespace strata::runtime {
namespace {

/// How long a thread that waits spins before it sleeps.
constexpr std::chrono::microseconds kSpin{100};

/// Spins until `ready()` or kSpin has passed; returns whether it is ready.
template <typename Ready> bool spinUntil(Ready ready) {
  auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (unsigned i = 1;; ++i) {
    if (ready())
      return true;
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
    if (i % 64 == 0 && std::chrono::steady_clock::now() > deadline)
      return false;
  }
}

} // namespace

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i)
    workers.emplace_back([this] { workerMain(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
    generation.fetch_add(1, std::memory_order_release);
  }
  wake.notify_all();
  for (std::thread &worker : workers)
    worker.join();
}

void ThreadPool::parallelFor(uint64_t jobCount,
                             const std::function<bool(uint64_t)> &jobBody) {
  std::lock_guard<std::mutex> submit(submitMutex);
  // One workgroup, or no workers: nothing to share.
  if (jobCount <= 1 || workers.empty()) {
    for (uint64_t i = 0; i < jobCount; ++i)
      if (!jobBody(i))
        return;
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    body = &jobBody;
    count = jobCount;
    // Several chunks per thread balance uneven workgroups; chunks rather
    // than single indices keep the shared counter cool.
    chunk = std::max<uint64_t>(1, jobCount / ((workers.size() + 1) * 8));
    next = 0;
    stopped = false;
    busyWorkers.store(static_cast<unsigned>(workers.size()),
                      std::memory_order_relaxed);
    generation.fetch_add(1, std::memory_order_release);
  }
  wake.notify_all();
  runChunks();
  auto idle = [this] {
    return busyWorkers.load(std::memory_order_acquire) == 0;
  };
  if (!spinUntil(idle)) {
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, idle);
  }
  body = nullptr;
}

void ThreadPool::runChunks() {
  while (!stopped.load(std::memory_order_relaxed)) {
    uint64_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
    if (begin >= count)
      return;
    uint64_t end = std::min(count, begin + chunk);
    for (uint64_t i = begin; i < end; ++i) {
      if (!(*body)(i)) {
        stopped = true;
        return;
      }
    }
  }
}

void ThreadPool::workerMain() {
  uint64_t seen = 0;
  while (true) {
    auto posted = [&] {
      return generation.load(std::memory_order_acquire) != seen;
    };
    if (!spinUntil(posted)) {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, posted);
    }
    if (stopping.load(std::memory_order_acquire))
      return;
    seen = generation.load(std::memory_order_acquire);
    runChunks();
    // The last worker out wakes the caller if it sleeps; under the mutex,
    // so that the wake cannot fall between its check and its sleep.
    if (busyWorkers.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex);
      done.notify_one();
    }
  }
}

} // namespace strata::runtime
