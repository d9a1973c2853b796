//
// test/hostile/child_process.hpp
//
// The server under attack, as a child process: started with its standard output and error on
// a pipe, whose lines a thread of ours copies to our standard output (prefixed "[server] ", so
// that the model's "contract violation" lines reach ctest) and keeps for wait_for_line(). The
// destructor kills a child still running. POSIX: posix_spawn; Windows: CreateProcess.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_HOSTILE_CHILD_PROCESS_HPP
#define BOOST_SOCKN_TEST_HOSTILE_CHILD_PROCESS_HPP

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(_WIN32)
#include <winsock2.h>    // before windows.h, which would bring in the older winsock.h
#include <windows.h>
#include <psapi.h>
#else
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fstream>
extern char** environ;
#endif

namespace hostile {

class child_process
{
public:
  // argv[0] is the program: a path, or a file name in the current directory.
  explicit child_process(std::vector<std::string> argv)
  {
    start(argv);
    reader_ = std::thread([this] { read_output(); });
  }

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  ~child_process()
  {
    if (running())
      kill_now();
    wait_exit(std::chrono::seconds(10));
    if (reader_.joinable())
      reader_.join();
#if defined(_WIN32)
    ::CloseHandle(process_);
#endif
  }

  bool running()
  {
    if (exit_status_)
      return false;
#if defined(_WIN32)
    if (::WaitForSingleObject(process_, 0) != WAIT_OBJECT_0)
      return true;
    DWORD status = 0;
    ::GetExitCodeProcess(process_, &status);
    exit_status_ = static_cast<int>(status);
    return false;
#else
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_)
      return true;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
#endif
  }

  // The first line of output, among those seen so far and those to come within `limit`, for
  // which `match` holds.
  std::optional<std::string> wait_for_line(const std::function<bool(const std::string&)>& match,
                                           std::chrono::milliseconds limit)
  {
    std::unique_lock<std::mutex> lock(mutex_);
    std::size_t next = 0;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;)
    {
      for (; next < lines_.size(); ++next)
        if (match(lines_[next]))
          return lines_[next];
      if (output_ended_ || cv_.wait_until(lock, deadline) == std::cv_status::timeout)
        break;
    }
    for (; next < lines_.size(); ++next)
      if (match(lines_[next]))
        return lines_[next];
    return std::nullopt;
  }

  // The last line so far containing `text`.
  std::optional<std::string> last_line_with(const std::string& text)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = lines_.rbegin(); it != lines_.rend(); ++it)
      if (it->find(text) != std::string::npos)
        return *it;
    return std::nullopt;
  }

  // Asks the child to stop as a user would (SIGTERM) and waits for its exit status; nullopt if
  // it did not exit within `limit` (then it is killed). On Windows there is no such request a
  // console-less child would see: it is terminated, and the status says nothing.
  std::optional<int> stop(std::chrono::milliseconds limit)
  {
#if defined(_WIN32)
    if (running())
      ::TerminateProcess(process_, 0);
#else
    if (running())
      ::kill(pid_, SIGTERM);
#endif
    auto status = wait_exit(limit);
    if (!status)
    {
      report_threads();
      kill_now();
      wait_exit(std::chrono::seconds(10));
      return std::nullopt;
    }
    return status;
  }

  // The child's resident memory in bytes (VmRSS; the working set on Windows), or nullopt with
  // the reason in `why`.
  std::optional<std::size_t> resident_bytes(std::string& why)
  {
#if defined(_WIN32)
    PROCESS_MEMORY_COUNTERS counters{};
    if (!::GetProcessMemoryInfo(process_, &counters, sizeof counters))
    {
      why = "GetProcessMemoryInfo failed with error " + std::to_string(::GetLastError());
      return std::nullopt;
    }
    if (counters.WorkingSetSize == 0)
    {
      why = "GetProcessMemoryInfo reports a working set of 0 bytes";
      return std::nullopt;
    }
    return static_cast<std::size_t>(counters.WorkingSetSize);
#else
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("VmRSS:", 0) == 0)
        return static_cast<std::size_t>(std::stoull(line.substr(6))) * 1024;
    why = "no VmRSS line in /proc/<pid>/status";
    return std::nullopt;
#endif
  }

private:
  std::optional<int> wait_exit(std::chrono::milliseconds limit)
  {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (running())
    {
      if (std::chrono::steady_clock::now() >= deadline)
        return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exit_status_;
  }

  // Where a child that would not stop is: each thread's state and kernel wait channel (Linux).
  void report_threads()
  {
#if defined(__linux__)
    const std::string task = "/proc/" + std::to_string(pid_) + "/task";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(task, ec))
    {
      std::string stat, wchan;
      std::getline(std::ifstream(entry.path() / "stat"), stat);
      std::getline(std::ifstream(entry.path() / "wchan"), wchan);
      std::printf("child_process: did not stop; thread %s\n",
                  (stat.substr(0, stat.find(')', 0) + 3) + " wchan " + wchan).c_str());
    }
    std::fflush(stdout);
#endif
  }

  void kill_now()
  {
#if defined(_WIN32)
    ::TerminateProcess(process_, 137);
#else
    ::kill(pid_, SIGKILL);
#endif
  }

  void read_output()
  {
    std::string partial;
    char chunk[4096];
    for (;;)
    {
#if defined(_WIN32)
      DWORD n = 0;
      if (!::ReadFile(pipe_, chunk, sizeof chunk, &n, nullptr) || n == 0)
        break;
#else
      const ssize_t n = ::read(pipe_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
#endif
      partial.append(chunk, static_cast<std::size_t>(n));
      std::string::size_type eol;
      while ((eol = partial.find('\n')) != std::string::npos)
      {
        std::string line = partial.substr(0, eol);
        partial.erase(0, eol + 1);
        if (!line.empty() && line.back() == '\r')
          line.pop_back();
        std::printf("[server] %s\n", line.c_str());
        std::fflush(stdout);
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.push_back(std::move(line));
        cv_.notify_all();
      }
    }
#if defined(_WIN32)
    ::CloseHandle(pipe_);
#else
    ::close(pipe_);
#endif
    std::lock_guard<std::mutex> lock(mutex_);
    output_ended_ = true;
    cv_.notify_all();
  }

#if defined(_WIN32)
  void start(const std::vector<std::string>& argv)
  {
    std::string command;
    for (const auto& a : argv)
      command += (command.empty() ? "" : " ") + ("\"" + a + "\"");
    SECURITY_ATTRIBUTES inherit{sizeof inherit, nullptr, TRUE};
    HANDLE write_end = nullptr;
    if (!::CreatePipe(&pipe_, &write_end, &inherit, 0))
      throw std::runtime_error("CreatePipe failed");
    ::SetHandleInformation(pipe_, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = ::GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = write_end;
    startup.hStdError = write_end;
    // Handles are inherited wholesale here, sockets included (Winsock's are inheritable): the
    // tests start a server before they open any socket of their own.
    PROCESS_INFORMATION info{};
    const BOOL ok = ::CreateProcessA(nullptr, &command[0], nullptr, nullptr, TRUE, 0, nullptr,
                                     nullptr, &startup, &info);
    ::CloseHandle(write_end);
    if (!ok)
    {
      ::CloseHandle(pipe_);
      throw std::runtime_error("cannot start " + command + ": error " +
                               std::to_string(::GetLastError()));
    }
    ::CloseHandle(info.hThread);
    process_ = info.hProcess;
  }

  HANDLE process_ = nullptr;
  HANDLE pipe_ = nullptr;
#else
  void start(std::vector<std::string> argv)
  {
    if (argv[0].find('/') == std::string::npos)
      argv[0] = "./" + argv[0];
    int fds[2];
    // Close-on-exec: no other child of ours holds the write end, which would keep the pipe open
    // after this child has exited.
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    ::posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(&a[0]);
    args.push_back(nullptr);
    const int error = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (error != 0)
    {
      ::close(fds[0]);
      throw std::runtime_error("cannot start " + argv[0] + ": error " + std::to_string(error));
    }
    pipe_ = fds[0];
  }

  pid_t pid_ = -1;
  int pipe_ = -1;
#endif

  std::optional<int> exit_status_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool output_ended_ = false;
  std::thread reader_;
};

} // namespace hostile

#endif
