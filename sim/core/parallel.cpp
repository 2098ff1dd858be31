#include "sim/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sim {
namespace {
// Set on the threads of a running ParallelFor: a nested one runs on its caller only.
thread_local bool in_parallel = false;
}  // namespace

std::size_t WorkerThreads() {
  if (const char* env = std::getenv("VPCSIM_THREADS")) {
    const long n = std::strtol(env, nullptr, 10);
    if (n >= 1) return static_cast<std::size_t>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

void ParallelFor(std::size_t n, const std::function<void(std::size_t)>& body, std::size_t grain) {
  const std::size_t threads =
      std::min(WorkerThreads(), (n + grain - 1) / std::max<std::size_t>(grain, 1));
  if (threads <= 1 || in_parallel) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    struct Inside {  // marks this thread as running a ParallelFor body until it returns
      Inside() { in_parallel = true; }
      ~Inside() { in_parallel = false; }
    } inside;
    try {
      for (;;) {
        if (failed.load(std::memory_order_relaxed)) return;
        const std::size_t begin = next.fetch_add(grain);
        if (begin >= n) return;
        for (std::size_t i = begin; i < std::min(n, begin + grain); ++i) body(i);
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace sim
