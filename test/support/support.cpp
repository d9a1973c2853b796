//
// test/support/support.cpp
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <fstream>

#if defined(_WIN32)
#include <windows.h>
#include <psapi.h>
#include <winternl.h>
#else
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace sockn_test {

namespace {

[[noreturn]] void give_up(const std::string& what)
{
  std::fprintf(stderr, "\nfatal: %s is still hung after being stopped; aborting the test run\n",
               what.c_str());
  std::fflush(stderr);
  std::abort();
}

} // namespace

//--------------------------------------------------------------------------------------------------
// Running an io_context
//--------------------------------------------------------------------------------------------------

bool run_for(asio::io_context& ioc, unsigned threads, std::chrono::seconds limit)
{
  ioc.restart();
  threads = std::max(threads, 1u);
  std::mutex m;
  std::condition_variable cv;
  unsigned finished = 0;
  std::exception_ptr error;
  bool late = false;
  const auto run = [&] {
    try
    {
      ioc.run();
    }
    catch (...)
    {
      std::lock_guard<std::mutex> l(m);
      if (!error)
        error = std::current_exception();
      ioc.stop();
    }
    std::lock_guard<std::mutex> l(m);
    ++finished;
    cv.notify_all();
  };

  // The limit is kept by a thread of its own, so that the calling thread can run handlers.
  std::thread timekeeper([&] {
    std::unique_lock<std::mutex> l(m);
    if (cv.wait_for(l, limit, [&] { return finished == threads; }))
      return;
    late = true;
    std::fprintf(stderr, "io_context still busy after %lld s: stopping it\n",
                 static_cast<long long>(limit.count()));
    ioc.stop();
    if (!cv.wait_for(l, 10s, [&] { return finished == threads; }))
      give_up("an io_context handler");
  });
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i)
    pool.emplace_back(run);
  run();
  for (auto& t : pool)
    t.join();
  timekeeper.join();
  if (error)
    std::rethrow_exception(error);
  return !late;
}

bool run_until(asio::io_context& ioc, const std::function<bool()>& done, std::chrono::seconds limit)
{
  ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done())
  {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    if (ioc.run_one_for(20ms) == 0 && ioc.stopped())
    {
      // Out of work: nothing can make done() true except another thread.
      std::this_thread::sleep_for(1ms);
      ioc.restart();
    }
  }
  return true;
}

void run_briefly(asio::io_context& ioc, std::chrono::milliseconds span)
{
  ioc.restart();
  ioc.run_for(span);
}

io_threads::io_threads(asio::io_context& ioc, unsigned threads)
  : ioc_(ioc), guard_(asio::make_work_guard(ioc))
{
  ioc_.restart();
  for (unsigned i = 0; i < threads; ++i)
    threads_.emplace_back([this] {
      try
      {
        ioc_.run();
      }
      catch (...)
      {
        std::lock_guard<std::mutex> l(m_);
        if (!error_)
          error_ = std::current_exception();
        ioc_.stop();
      }
      std::lock_guard<std::mutex> l(m_);
      ++finished_;
      cv_.notify_all();
    });
}

io_threads::~io_threads()
{
  if (!joined_)
  {
    ioc_.stop();
    try
    {
      join(10s);
    }
    catch (...)
    {
    }
  }
}

bool io_threads::join(std::chrono::seconds limit)
{
  joined_ = true;
  guard_.reset();
  const auto n = static_cast<unsigned>(threads_.size());
  bool in_time;
  {
    std::unique_lock<std::mutex> l(m_);
    in_time = cv_.wait_for(l, limit, [&] { return finished_ == n; });
    if (!in_time)
    {
      std::fprintf(stderr, "io threads still busy after %lld s: stopping the io_context\n",
                   static_cast<long long>(limit.count()));
      ioc_.stop();
      if (!cv_.wait_for(l, 10s, [&] { return finished_ == n; }))
        give_up("an io thread");
    }
  }
  for (auto& t : threads_)
    t.join();
  threads_.clear();
  if (error_)
    std::rethrow_exception(std::exchange(error_, nullptr));
  return in_time;
}

watchdog::watchdog(std::string what, std::chrono::seconds limit) : what_(std::move(what))
{
  thread_ = std::thread([this, limit] {
    std::unique_lock<std::mutex> l(m_);
    if (!cv_.wait_for(l, limit, [&] { return done_; }))
    {
      std::fprintf(stderr, "\nfatal: %s did not finish within %lld s; aborting the test run\n",
                   what_.c_str(), static_cast<long long>(limit.count()));
      std::fflush(stderr);
      std::abort();
    }
  });
}

watchdog::~watchdog()
{
  {
    std::lock_guard<std::mutex> l(m_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

//--------------------------------------------------------------------------------------------------
// Loopback connections
//--------------------------------------------------------------------------------------------------

asio::ip::tcp::endpoint closed_tcp_endpoint()
{
  // Plain Asio: this only needs a port number nobody listens on.
  asio::io_context ioc;
  asio::ip::tcp::acceptor a(ioc, tcp_loopback(), /*reuse_address*/ false);
  const auto ep = a.local_endpoint();
  a.close();
  return ep;
}

//--------------------------------------------------------------------------------------------------
// Process resources
//--------------------------------------------------------------------------------------------------

#if defined(_WIN32)

namespace {

// The handles open in this process that `keep` accepts, found by their values: handle values
// are multiples of 4, handed out from the bottom; 2^18 covers far more than these tests hold.
template <class Keep>
long count_open_handles(Keep keep)
{
  long n = 0;
  for (std::uintptr_t v = 4; v < (std::uintptr_t(1) << 18); v += 4)
  {
    DWORD flags = 0;
    const HANDLE h = reinterpret_cast<HANDLE>(v);
    if (::GetHandleInformation(h, &flags) && keep(h))
      ++n;
  }
  return n;
}

} // namespace

long open_descriptors()
{
  DWORD count = 0;
  if (::GetProcessHandleCount(::GetCurrentProcess(), &count) && count > 0)
    return static_cast<long>(count);
  // Wine answers 0: the handle values are counted instead.
  return count_open_handles([](HANDLE) { return true; });
}

namespace {

// ObjectTypeInformation's answer: the type's name first (PUBLIC_OBJECT_TYPE_INFORMATION), then
// counters this count does not need.
struct object_type_information
{
  UNICODE_STRING type_name;
  ULONG reserved[22];
};

using query_object_fn = LONG(WINAPI*)(HANDLE, int, PVOID, ULONG, PULONG);

} // namespace

long open_files()
{
  static const auto query = reinterpret_cast<query_object_fn>(reinterpret_cast<void*>(
    ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "NtQueryObject")));
  if (!query)
    return -1;
  constexpr int object_type_information_class = 2;
  return count_open_handles([](HANDLE h) {
    alignas(8) unsigned char buffer[1024];
    if (query(h, object_type_information_class, buffer, sizeof buffer, nullptr) < 0)
      return false;
    const auto* info = reinterpret_cast<const object_type_information*>(buffer);
    return std::wstring(info->type_name.Buffer, info->type_name.Length / sizeof(wchar_t)) ==
           L"File";
  });
}

std::size_t resident_bytes()
{
  PROCESS_MEMORY_COUNTERS pmc{};
  pmc.cb = sizeof(pmc);
  if (!::K32GetProcessMemoryInfo(::GetCurrentProcess(), &pmc, sizeof(pmc)))
    return 0;
  return pmc.WorkingSetSize;
}

bool descriptor_room(std::size_t, std::string&)
{
  return true; // Windows has no per-process descriptor limit of that size.
}

bool on_wine()
{
  HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  return ntdll && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

double process_cpu_seconds()
{
  FILETIME created, exited, kernel, user;
  if (!::GetProcessTimes(::GetCurrentProcess(), &created, &exited, &kernel, &user))
    return -1;
  auto seconds = [](const FILETIME& t) {
    return double((std::uint64_t(t.dwHighDateTime) << 32) | t.dwLowDateTime) * 1e-7;
  };
  return seconds(kernel) + seconds(user);
}

#else

long open_descriptors()
{
  DIR* d = ::opendir("/proc/self/fd");
  if (!d)
    return -1;
  long n = 0;
  while (const dirent* e = ::readdir(d))
    if (e->d_name[0] != '.')
      ++n;
  ::closedir(d);
  return n - 1; // the directory stream's own descriptor
}

long open_files()
{
  return open_descriptors();
}

bool on_wine()
{
  return false;
}

double process_cpu_seconds()
{
  rusage u{};
  if (::getrusage(RUSAGE_SELF, &u) != 0)
    return -1;
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

std::size_t resident_bytes()
{
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  if (!(statm >> size >> resident))
    return 0;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

bool descriptor_room(std::size_t count, std::string& why)
{
  const long open = open_descriptors();
  rlimit rl{};
  if (open < 0 || ::getrlimit(RLIMIT_NOFILE, &rl) != 0)
  {
    why = "cannot read the descriptor limit";
    return false;
  }
  const rlim_t want = static_cast<rlim_t>(open) + count;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
  {
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
    {
      why = "needs " + std::to_string(want) + " descriptors, the hard limit (ulimit -Hn) is " +
            std::to_string(rl.rlim_max);
      return false;
    }
    rl.rlim_cur = want;
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0)
    {
      why = "cannot raise the descriptor limit to " + std::to_string(want);
      return false;
    }
  }
  return true;
}

#endif

//--------------------------------------------------------------------------------------------------
// Seeded data
//--------------------------------------------------------------------------------------------------

std::uint64_t byte_stream::word(std::uint64_t index) const
{
  // splitmix64 of (seed, index): cheap, and no two nearby words look alike.
  std::uint64_t z = seed_ * 0x9e3779b97f4a7c15ull + index * 0xbf58476d1ce4e5b9ull + 1;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void byte_stream::fill(std::uint64_t offset, unsigned char* out, std::size_t n) const
{
  std::size_t i = 0;
  while (i < n)
  {
    const std::uint64_t pos = offset + i;
    const std::uint64_t w = word(pos >> 3);
    for (unsigned b = static_cast<unsigned>(pos & 7); b < 8 && i < n; ++b, ++i)
      out[i] = static_cast<unsigned char>(w >> (8 * b));
  }
}

std::size_t byte_stream::mismatch(std::uint64_t offset, const unsigned char* data, std::size_t n) const
{
  std::size_t i = 0;
  while (i < n)
  {
    const std::uint64_t pos = offset + i;
    const std::uint64_t w = word(pos >> 3);
    for (unsigned b = static_cast<unsigned>(pos & 7); b < 8 && i < n; ++b, ++i)
      if (data[i] != static_cast<unsigned char>(w >> (8 * b)))
        return i;
  }
  return n;
}

std::size_t chunker::next()
{
  unsigned top = 0;
  while ((std::size_t(2) << top) <= max_)
    ++top;
  const unsigned e = std::uniform_int_distribution<unsigned>(0, top)(rng_);
  const std::size_t lo = std::size_t(1) << e;
  const std::size_t hi = std::min(max_, (lo << 1) - 1);
  return std::uniform_int_distribution<std::size_t>(lo, hi)(rng_);
}

} // namespace sockn_test
