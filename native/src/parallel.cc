// See parallel.h. One job at a time (kernels run synchronously on the JS
// thread). Chunks are claimed with an atomic counter; the caller waits only
// for workers that joined the job before it closed, so no worker can touch a
// job after parallelFor returns.
#include "parallel.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {
namespace {

class Pool {
 public:
  explicit Pool(int count) : count_(count) {
    for (int i = 1; i < count; ++i) workers_.emplace_back([this] { work(); });
  }

  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  int count() const { return count_; }

  void run(int64_t n, int64_t chunk, RangeFn fn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = &fn;
      n_ = n;
      chunk_ = chunk;
      next_.store(0, std::memory_order_relaxed);
      open_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    drain();
    std::unique_lock<std::mutex> lock(mu_);
    open_ = false;  // late workers skip this job
    done_.wait(lock, [this] { return active_ == 0; });
    fn_ = nullptr;
  }

 private:
  void drain() {
    for (;;) {
      const int64_t begin = next_.fetch_add(chunk_, std::memory_order_relaxed);
      if (begin >= n_) return;
      (*fn_)(begin, begin + chunk_ < n_ ? begin + chunk_ : n_);
    }
  }

  void work() {
    uint64_t seen = 0;
    for (;;) {
      // Spin briefly first: kernels often come back to back.
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
      while (generation_.load(std::memory_order_acquire) == seen && std::chrono::steady_clock::now() < until) {
        std::this_thread::yield();
      }
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_relaxed) != seen; });
      if (stop_) return;
      seen = generation_.load(std::memory_order_relaxed);
      if (!open_) continue;
      ++active_;
      lock.unlock();
      drain();
      lock.lock();
      if (--active_ == 0) done_.notify_one();
    }
  }

  const int count_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int64_t> next_{0};
  const RangeFn* fn_ = nullptr;
  int64_t n_ = 0, chunk_ = 1;
  int active_ = 0;
  bool open_ = false, stop_ = false;
};

int configuredThreads() {
  const char* env = std::getenv("STRATA_NATIVE_THREADS");
  int n = env != nullptr ? std::atoi(env) : static_cast<int>(std::thread::hardware_concurrency());
  if (n < 1) n = 1;
  return n > 8 ? 8 : n;
}

Pool& pool() {
  // Never destroyed: worker threads must not be joined during process exit.
  static Pool* instance = new Pool(configuredThreads());
  return *instance;
}

}  // namespace

int threads() { return pool().count(); }

void parallelFor(int64_t n, int64_t grain, RangeFn fn) {
  if (n <= 0) return;
  Pool& p = pool();
  if (p.count() == 1 || n < 2 * grain) {
    fn(0, n);
    return;
  }
  // About four chunks per thread balances uneven progress without much overhead.
  int64_t chunk = n / (4 * p.count());
  if (chunk < grain) chunk = grain;
  p.run(n, chunk, fn);
}

}  // namespace strata
