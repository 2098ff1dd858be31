// Work that splits: runs a loop body on every core the machine has.
#pragma once

#include <cstddef>
#include <functional>

namespace sim {

// The number of worker threads ParallelFor uses: the hardware's concurrency, or the
// VPCSIM_THREADS environment variable when set (1 runs everything on the caller).
std::size_t WorkerThreads();

// Calls body(i) for every i in [0, n), on WorkerThreads() threads taking chunks of
// `grain` indices; the caller's thread works too. The bodies must not share mutable
// state. A ParallelFor inside a body runs on that body's thread. Rethrows the first
// exception a body threw, after every thread stopped.
void ParallelFor(std::size_t n, const std::function<void(std::size_t)>& body,
                 std::size_t grain = 8);

}  // namespace sim
