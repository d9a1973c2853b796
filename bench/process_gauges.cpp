//
// bench/process_gauges.cpp
//
// Windows only: watches another process, found by its image name, and prints its open handles
// and working set once per period, for bench/soak.sh's run under Wine. A shell outside Wine
// cannot see either: the handles live in wineserver, not in the process's /proc/PID/fd, and
// GetProcessHandleCount answers 0 under Wine. The system handle table
// (NtQuerySystemInformation, SystemExtendedHandleInformation) lists every handle with the
// process that holds it, on Windows and under Wine alike, so the count comes from there.
// Of those, the handles to File objects (sockets, the afd backend's helpers, files) are counted
// apart too: they follow the sockets, while events and semaphores also appear lazily, the first
// time a lock is contended or a thread makes some call.
//
// Output (stdout, flushed per line):
//   process_gauges: pid=P handles=N files=F working_set_kb=W
//       every period while the process runs; a figure that could not be read is "nan"
//   process_gauges: gone
//       once the process has exited (then the program exits with status 0)
// Exit status 1 when no process of that name appears within 30 s, 2 on a usage error.
//
// Usage:
//   process_gauges IMAGE_NAME [--period-ms MS]
//     IMAGE_NAME   e.g. http_server.exe (case-insensitive); the first match is watched
//     --period-ms  default 1000
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// The layouts of SystemExtendedHandleInformation (class 64), as Windows and Wine define them;
// mingw-w64's winternl.h declares neither.
struct handle_entry_ex
{
  PVOID object;
  ULONG_PTR unique_process_id;
  ULONG_PTR handle_value;
  ULONG granted_access;
  USHORT creator_back_trace_index;
  USHORT object_type_index;
  ULONG handle_attributes;
  ULONG reserved;
};

struct handle_information_ex
{
  ULONG_PTR number_of_handles;
  ULONG_PTR reserved;
  handle_entry_ex handles[1];
};

constexpr ULONG system_extended_handle_information = 64;
constexpr LONG status_info_length_mismatch = static_cast<LONG>(0xC0000004L);

using query_system_information_fn = LONG(WINAPI*)(ULONG, PVOID, ULONG, PULONG);

DWORD find_process(const char* image)
{
  DWORD pid = 0;
  HANDLE snapshot = ::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snapshot == INVALID_HANDLE_VALUE)
    return 0;
  PROCESSENTRY32 entry{};
  entry.dwSize = sizeof entry;
  for (BOOL more = ::Process32First(snapshot, &entry); more && pid == 0;
       more = ::Process32Next(snapshot, &entry))
  {
    if (_stricmp(entry.szExeFile, image) == 0 && entry.th32ProcessID != ::GetCurrentProcessId())
      pid = entry.th32ProcessID;
  }
  ::CloseHandle(snapshot);
  return pid;
}

struct handle_counts
{
  long all = -1;
  long files = -1;
};

// The system handle table, or nullptr. The buffer is kept between calls: the table is large
// (every process's handles) and grows only now and then.
const handle_information_ex* handle_table(query_system_information_fn query,
                                          std::vector<char>& buffer)
{
  for (;;)
  {
    ULONG needed = 0;
    const LONG status = query(system_extended_handle_information, buffer.data(),
                              static_cast<ULONG>(buffer.size()), &needed);
    if (status == status_info_length_mismatch)
    {
      buffer.resize(std::max<std::size_t>(buffer.size() * 2, needed + 4096));
      continue;
    }
    return status < 0 ? nullptr : reinterpret_cast<const handle_information_ex*>(buffer.data());
  }
}

// The handles process `pid` holds. Type indexes are numbers of the system's own, so the File
// type's is learnt from `own_file`, a file handle this process holds.
handle_counts count_handles(query_system_information_fn query, std::vector<char>& buffer,
                            DWORD pid, HANDLE own_file)
{
  handle_counts c;
  const handle_information_ex* table = handle_table(query, buffer);
  if (!table)
    return c;
  int file_type = -1;
  for (ULONG_PTR i = 0; i < table->number_of_handles; ++i)
  {
    const handle_entry_ex& e = table->handles[i];
    if (e.unique_process_id == ::GetCurrentProcessId() &&
        e.handle_value == reinterpret_cast<ULONG_PTR>(own_file))
      file_type = e.object_type_index;
  }
  c.all = 0;
  c.files = file_type < 0 ? -1 : 0;
  for (ULONG_PTR i = 0; i < table->number_of_handles; ++i)
  {
    const handle_entry_ex& e = table->handles[i];
    if (e.unique_process_id != pid)
      continue;
    ++c.all;
    if (file_type >= 0 && e.object_type_index == file_type)
      ++c.files;
  }
  return c;
}

long working_set_kb(HANDLE process)
{
  PROCESS_MEMORY_COUNTERS counters{};
  counters.cb = sizeof counters;
  if (!::K32GetProcessMemoryInfo(process, &counters, sizeof counters))
    return -1;
  return static_cast<long>(counters.WorkingSetSize / 1024);
}

std::string figure(long value)
{
  return value < 0 ? std::string("nan") : std::to_string(value);
}

} // namespace

int main(int argc, char** argv)
{
  if (argc != 2 && !(argc == 4 && std::strcmp(argv[2], "--period-ms") == 0))
  {
    std::fprintf(stderr, "usage: process_gauges IMAGE_NAME [--period-ms MS]\n");
    return 2;
  }
  const char* image = argv[1];
  const long period_ms = argc == 4 ? std::atol(argv[3]) : 1000;
  if (period_ms <= 0)
  {
    std::fprintf(stderr, "process_gauges: --period-ms takes a positive number\n");
    return 2;
  }
  const auto query = reinterpret_cast<query_system_information_fn>(reinterpret_cast<void*>(
    ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "NtQuerySystemInformation")));

  DWORD pid = 0;
  for (int i = 0; i < 300 && pid == 0; ++i)
  {
    pid = find_process(image);
    if (pid == 0)
      ::Sleep(100);
  }
  if (pid == 0)
  {
    std::fprintf(stderr, "process_gauges: no process named %s\n", image);
    return 1;
  }
  HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, pid);
  if (process == nullptr)
  {
    std::fprintf(stderr, "process_gauges: OpenProcess(%lu) failed with error %lu\n",
                 static_cast<unsigned long>(pid), static_cast<unsigned long>(::GetLastError()));
    return 1;
  }

  wchar_t self[MAX_PATH];
  const DWORD length = ::GetModuleFileNameW(nullptr, self, MAX_PATH);
  const HANDLE own_file = length == 0 || length == MAX_PATH
    ? INVALID_HANDLE_VALUE
    : ::CreateFileW(self, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                    OPEN_EXISTING, 0, nullptr);

  std::vector<char> buffer(1 << 16);
  while (::WaitForSingleObject(process, 0) == WAIT_TIMEOUT)
  {
    const handle_counts handles = query ? count_handles(query, buffer, pid, own_file)
                                        : handle_counts{};
    std::printf("process_gauges: pid=%lu handles=%s files=%s working_set_kb=%s\n",
                static_cast<unsigned long>(pid), figure(handles.all).c_str(),
                figure(handles.files).c_str(), figure(working_set_kb(process)).c_str());
    std::fflush(stdout);
    ::WaitForSingleObject(process, static_cast<DWORD>(period_ms));
  }
  std::printf("process_gauges: gone\n");
  std::fflush(stdout);
  ::CloseHandle(process);
  if (own_file != INVALID_HANDLE_VALUE)
    ::CloseHandle(own_file);
  return 0;
}
