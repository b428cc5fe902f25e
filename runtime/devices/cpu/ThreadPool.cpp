//===- ThreadPool.cpp - persistent workers for cpu dispatches -------------===//
//
// Workers that sleep between dispatches and take workgroup ids from one
// atomic counter; the calling thread works too.
//
//===----------------------------------------------------------------------===//

#include "runtime/devices/cpu/ThreadPool.h"

#include <algorithm>

namespace strata::runtime {

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i)
    workers.emplace_back([this] { workerMain(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &worker : workers)
    worker.join();
}

void ThreadPool::parallelFor(uint64_t jobCount,
                             const std::function<bool(uint64_t)> &jobBody) {
  std::lock_guard<std::mutex> submit(submitMutex);
  {
    std::lock_guard<std::mutex> lock(mutex);
    body = &jobBody;
    count = jobCount;
    // Several chunks per thread balance uneven workgroups; chunks rather
    // than single indices keep the shared counter cool.
    chunk = std::max<uint64_t>(1, jobCount / ((workers.size() + 1) * 8));
    next = 0;
    stopped = false;
    busyWorkers = static_cast<unsigned>(workers.size());
    ++generation;
  }
  wake.notify_all();
  runChunks();
  std::unique_lock<std::mutex> lock(mutex);
  done.wait(lock, [this] { return busyWorkers == 0; });
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
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] { return stopping || generation != seen; });
      if (stopping)
        return;
      seen = generation;
    }
    runChunks();
    std::lock_guard<std::mutex> lock(mutex);
    if (--busyWorkers == 0)
      done.notify_one();
  }
}

} // namespace strata::runtime
