// A small pool of worker threads that splits one kernel call into ranges.
// The calling (JavaScript) thread always takes part, so a call completes even
// when no worker gets scheduled (on a busy machine the caller simply does all
// the work); workers that wake late find nothing left and go back to sleep.
#ifndef STRATA_PARALLEL_H
#define STRATA_PARALLEL_H

#include <cstdint>

namespace strata {

// A non-owning reference to a callable taking (begin, end).
class RangeFn {
 public:
  template <class F>
  RangeFn(const F& f) : object_(&f), call_([](const void* o, int64_t b, int64_t e) { (*static_cast<const F*>(o))(b, e); }) {}
  void operator()(int64_t begin, int64_t end) const { call_(object_, begin, end); }

 private:
  const void* object_;
  void (*call_)(const void*, int64_t, int64_t);
};

// Runs fn over [0, n) in chunks of at least `grain`, on up to threads() threads.
void parallelFor(int64_t n, int64_t grain, RangeFn fn);

// Threads used by parallelFor (the caller included): STRATA_NATIVE_THREADS, else the
// number of CPUs (at most 8).
int threads();

}  // namespace strata

#endif
