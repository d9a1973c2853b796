//
// test/psn_probe/psn_probe.cpp
//
// psn_probe: asks the Windows it runs on what ProcessSocketNotifications does where Microsoft's
// documentation is silent (docs/port.md, "Open questions"), by experiment, with the function
// itself rather than through boost_sockn; prints a Markdown report to paste into an issue; then
// runs boost_sockn's conformance suite and socket suites on the psn backend, where it finds them
// (beside this program, or in the build tree's test directories).
//
//   psn_probe.exe [--no-suites]
//
// Exit status: 0 when every probe ran (whatever Windows answered) and every suite found passed,
// or when this Windows has no PSN (Wine, Windows before build 20348): nothing to ask then.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "psn_api.hpp"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

namespace api = boost_sockn::detail::psn_api;

api::function psn = nullptr;

//--------------------------------------------------------------------------------------------------
// Reporting
//--------------------------------------------------------------------------------------------------

std::string events_text(DWORD e)
{
  if (e == 0) return "none";
  std::string s;
  auto bit = [&](DWORD b, const char* name) {
    if (e & b) s += (s.empty() ? "" : "|") + std::string(name);
  };
  bit(api::event_in, "in");
  bit(api::event_out, "out");
  bit(api::event_hangup, "hangup");
  bit(api::event_err, "error");
  bit(api::event_remove, "remove");
  DWORD rest = e & ~DWORD(api::event_in | api::event_out | api::event_hangup | api::event_err |
                          api::event_remove);
  if (rest) s += (s.empty() ? "" : "|") + std::string("0x") + std::to_string(rest);
  return s;
}

std::string code_text(DWORD code)
{
  if (code == 0) return "0 (success)";
  char* text = nullptr;
  ::FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                     FORMAT_MESSAGE_IGNORE_INSERTS,
                   nullptr, code, 0, reinterpret_cast<char*>(&text), 0, nullptr);
  std::string s = std::to_string(code);
  if (text)
  {
    std::string t(text);
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    s += " (" + t + ")";
    ::LocalFree(text);
  }
  return s;
}

int rows = 0;
void row(const std::string& question, const std::string& answer)
{
  ++rows;
  std::printf("| %s | %s |\n", question.c_str(), answer.c_str());
  std::fflush(stdout);
}

//--------------------------------------------------------------------------------------------------
// Sockets and the port
//--------------------------------------------------------------------------------------------------

struct socket_holder
{
  SOCKET s = INVALID_SOCKET;
  socket_holder() = default;
  explicit socket_holder(SOCKET x) : s(x) {}
  socket_holder(socket_holder&& o) noexcept : s(o.s) { o.s = INVALID_SOCKET; }
  socket_holder& operator=(socket_holder&& o) noexcept
  {
    std::swap(s, o.s);
    return *this;
  }
  ~socket_holder() { close(); }
  void close()
  {
    if (s != INVALID_SOCKET) ::closesocket(s);
    s = INVALID_SOCKET;
  }
};

void non_blocking(SOCKET s)
{
  u_long one = 1;
  ::ioctlsocket(s, FIONBIO, &one);
}

sockaddr_in loopback(unsigned short port)
{
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

unsigned short port_of(SOCKET s)
{
  sockaddr_in a{};
  int len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

socket_holder listener(unsigned short& port)
{
  socket_holder l(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
  sockaddr_in a = loopback(0);
  ::bind(l.s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(l.s, 16);
  port = port_of(l.s);
  return l;
}

// A connected loopback pair, both ends non-blocking.
void tcp_pair(socket_holder& client, socket_holder& server)
{
  unsigned short port = 0;
  socket_holder l = listener(port);
  client = socket_holder(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
  sockaddr_in a = loopback(port);
  ::connect(client.s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  server = socket_holder(::accept(l.s, nullptr, nullptr));
  non_blocking(client.s);
  non_blocking(server.s);
}

// A port on which nothing listens.
unsigned short closed_port()
{
  unsigned short port = 0;
  socket_holder l = listener(port);
  return port;
}

void reset(socket_holder& s)
{
  linger l{1, 0};
  ::setsockopt(s.s, SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&l), sizeof l);
  s.close();
}

struct port
{
  HANDLE h = ::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  ~port() { ::CloseHandle(h); }
};

api::sock_notify_registration entry(SOCKET s, std::uintptr_t key, UINT16 filter, UINT8 op,
                                    UINT8 triggers)
{
  return api::sock_notify_registration{s, reinterpret_cast<PVOID>(key), filter, op, triggers, 0};
}

constexpr UINT8 level_oneshot = api::trigger_level | api::trigger_oneshot;
constexpr UINT8 level_persistent = api::trigger_level | api::trigger_persistent;
constexpr UINT8 edge_persistent = api::trigger_edge | api::trigger_persistent;

// One registration-only call; returns the entry's registrationResult (or the call's failure).
DWORD apply(HANDLE p, api::sock_notify_registration e)
{
  DWORD rc = psn(p, 1, &e, 0, 0, nullptr, nullptr);
  return rc != ERROR_SUCCESS ? rc : e.registrationResult;
}

// What arrives for `key` within `ms`, as "events, events, ..." ("nothing" when nothing).
std::string observe(HANDLE p, std::uintptr_t key, DWORD ms)
{
  std::string seen;
  const DWORD end = ::GetTickCount() + ms;
  for (;;)
  {
    const DWORD now = ::GetTickCount();
    const DWORD left = (static_cast<LONG>(end - now) > 0) ? end - now : 0;
    OVERLAPPED_ENTRY out[8];
    UINT32 got = 0;
    DWORD rc = psn(p, 0, nullptr, left, 8, out, &got);
    if (rc != ERROR_SUCCESS) break;
    for (UINT32 i = 0; i < got; ++i)
      if (out[i].lpCompletionKey == key)
        seen += (seen.empty() ? "" : ", ") + events_text(out[i].dwNumberOfBytesTransferred);
    if (left == 0) break;
  }
  return seen.empty() ? "nothing" : seen;
}

//--------------------------------------------------------------------------------------------------
// The questions (numbered as in docs/port.md)
//--------------------------------------------------------------------------------------------------

void entry_codes()
{
  port p;
  socket_holder a(::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
  row("1. enable of an invalid socket",
      code_text(apply(p.h, entry(INVALID_SOCKET, 1, api::event_in, api::op_enable,
                                 level_oneshot))));
  row("1. remove of an unregistered socket",
      code_text(apply(p.h, entry(a.s, 1, 0, api::op_remove, 0))));
  row("1. disable of an unregistered socket",
      code_text(apply(p.h, entry(a.s, 1, 0, api::op_disable, 0))));
  apply(p.h, entry(a.s, 2, api::event_in, api::op_enable, level_oneshot));
  row("1. enable under another key",
      code_text(apply(p.h, entry(a.s, 3, api::event_in, api::op_enable, level_oneshot))));
  row("1. disable under another key",
      code_text(apply(p.h, entry(a.s, 3, 0, api::op_disable, 0))));
  row("1. remove under another key", code_text(apply(p.h, entry(a.s, 3, 0, api::op_remove, 0))));
  row("2. enable with an empty filter",
      code_text(apply(p.h, entry(a.s, 2, 0, api::op_enable, level_oneshot))));
  row("2. enable without trigger flags",
      code_text(apply(p.h, entry(a.s, 2, api::event_in, api::op_enable, 0))));
  row("1. first remove", code_text(apply(p.h, entry(a.s, 2, 0, api::op_remove, 0))));
  row("1. second remove before the first one's notification was dequeued",
      code_text(apply(p.h, entry(a.s, 2, 0, api::op_remove, 0))));
  row("1. enable before the remove notification was dequeued",
      code_text(apply(p.h, entry(a.s, 4, api::event_in, api::op_enable, level_oneshot))));
  row("4. notifications after those removes (key 2; key 4)",
      observe(p.h, 2, 300) + "; " + observe(p.h, 4, 100));
}

// What one registration with `filter` hears after `provoke` acts on the peer.
template <class Provoke>
std::string condition(UINT16 filter, Provoke provoke)
{
  port p;
  socket_holder c, s;
  tcp_pair(c, s);
  apply(p.h, entry(c.s, 7, filter, api::op_enable, level_oneshot));
  std::string before = observe(p.h, 7, 100); // a fresh connection may be writable at once
  if (before != "nothing")
    apply(p.h, entry(c.s, 7, filter, api::op_enable, level_oneshot));
  provoke(s);
  return observe(p.h, 7, 500);
}

void conditions()
{
  const struct
  {
    const char* name;
    UINT16 filter;
  } filters[] = {{"in", api::event_in},
                 {"hangup", api::event_hangup},
                 {"in|hangup", api::event_in | api::event_hangup}};
  for (auto f : filters)
  {
    row(std::string("2. peer FIN (shutdown send), filter ") + f.name,
        condition(f.filter, [](socket_holder& peer) { ::shutdown(peer.s, SD_SEND); }));
    row(std::string("2. peer reset, filter ") + f.name,
        condition(f.filter, [](socket_holder& peer) { reset(peer); }));
  }
  row("2. peer data then FIN, filter in|hangup",
      condition(api::event_in | api::event_hangup, [](socket_holder& peer) {
        ::send(peer.s, "x", 1, 0);
        ::shutdown(peer.s, SD_SEND);
      }));

  const struct
  {
    const char* name;
    UINT16 filter;
  } connect_filters[] = {{"out", api::event_out},
                         {"out|hangup", api::event_out | api::event_hangup},
                         {"in|out|hangup", api::event_in | api::event_out | api::event_hangup}};
  for (auto f : connect_filters)
  {
    port p;
    socket_holder c(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    non_blocking(c.s);
    sockaddr_in a = loopback(closed_port());
    ::connect(c.s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    apply(p.h, entry(c.s, 8, f.filter, api::op_enable, level_oneshot));
    row(std::string("2. refused connect, filter ") + f.name, observe(p.h, 8, 3000));
  }

  port p;
  socket_holder u(::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
  sockaddr_in a = loopback(closed_port());
  ::connect(u.s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  non_blocking(u.s);
  apply(p.h, entry(u.s, 9, api::event_in | api::event_hangup, api::op_enable, level_oneshot));
  ::send(u.s, "x", 1, 0);
  row("16. UDP datagram to a closed port, filter in|hangup", observe(p.h, 9, 500));
}

void disabled_state()
{
  port p;
  socket_holder c, s;
  tcp_pair(c, s);
  apply(p.h, entry(c.s, 10, api::event_in, api::op_enable, level_persistent));
  apply(p.h, entry(c.s, 10, 0, api::op_disable, 0));
  ::send(s.s, "x", 1, 0);
  reset(s);
  row("3. data and a reset while disabled", observe(p.h, 10, 300));
  apply(p.h, entry(c.s, 10, api::event_in, api::op_enable, level_persistent));
  row("3. ... then enabled again", observe(p.h, 10, 300));
}

void removal()
{
  {
    port p;
    socket_holder a(::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    apply(p.h, entry(a.s, 11, api::event_in, api::op_enable, level_oneshot));
    api::sock_notify_registration r = entry(a.s, 11, 0, api::op_remove, 0);
    OVERLAPPED_ENTRY out[4];
    UINT32 got = 0;
    DWORD rc = psn(p.h, 1, &r, 0, 4, out, &got);
    std::string same_call = rc == ERROR_SUCCESS && got ? "yes (" + events_text(
                                                                     out[0].dwNumberOfBytesTransferred) + ")"
                                                       : "no (" + code_text(rc) + ")";
    row("4. is a remove dequeued by the call that applies it", same_call);
    if (got)
    {
      char detail[160];
      std::snprintf(detail, sizeof detail, "key %llu, lpOverlapped %p, Internal %llu",
                    static_cast<unsigned long long>(out[0].lpCompletionKey),
                    static_cast<void*>(out[0].lpOverlapped),
                    static_cast<unsigned long long>(out[0].Internal));
      row("13. a remove packet's fields", detail);
    }
    else
      row("4. the remove, dequeued later", observe(p.h, 11, 300));
  }
  {
    port p;
    socket_holder a(::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    apply(p.h, entry(a.s, 12, api::event_in, api::op_enable, level_oneshot));
    apply(p.h, entry(a.s, 12, 0, api::op_remove, 0));
    a.close();
    row("8. close right after the remove: does the remove notification come",
        observe(p.h, 12, 500));
  }
  {
    port p;
    socket_holder a(::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    apply(p.h, entry(a.s, 13, api::event_in, api::op_enable, level_persistent));
    a.close();
    row("9. close while registered (no remove): what comes", observe(p.h, 13, 500));
  }
}

void edges()
{
  {
    port p;
    unsigned short portno = 0;
    socket_holder l = listener(portno);
    non_blocking(l.s);
    apply(p.h, entry(l.s, 14, api::event_in, api::op_enable, edge_persistent));
    sockaddr_in a = loopback(portno);
    socket_holder c1(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    ::connect(c1.s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    std::string first = observe(p.h, 14, 300);
    socket_holder c2(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    ::connect(c2.s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    row("5. edge listener: first connection; a second one with the backlog not drained",
        first + "; " + observe(p.h, 14, 300));
  }
  {
    port p;
    socket_holder c, s;
    tcp_pair(c, s);
    apply(p.h, entry(c.s, 15, api::event_out, api::op_enable, edge_persistent));
    row("5. edge out enabled on an already writable socket", observe(p.h, 15, 300));
  }
}

void oneshot_packets()
{
  port p;
  socket_holder c, s;
  tcp_pair(c, s);
  apply(p.h, entry(c.s, 16, api::event_in | api::event_out, api::op_enable, level_oneshot));
  ::Sleep(50); // the out packet is queued, not dequeued
  ::send(s.s, "x", 1, 0);
  ::Sleep(50);
  row("14. oneshot: packets queued for one delivery (out at once, then data)",
      observe(p.h, 16, 300));
}

void timeout_code()
{
  port p;
  OVERLAPPED_ENTRY out[1];
  UINT32 got = 0;
  row("6. return value of a call that times out", code_text(psn(p.h, 0, nullptr, 10, 1, out, &got)));
}

void where_exported()
{
  std::string where;
  for (const char* dll : {"ws2_32.dll", "mswsock.dll"})
  {
    HMODULE m = ::GetModuleHandleA(dll);
    if (!m) m = ::LoadLibraryExA(dll, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (m && ::GetProcAddress(m, "ProcessSocketNotifications"))
      where += (where.empty() ? "" : ", ") + std::string(dll);
  }
  row("7. DLLs exporting ProcessSocketNotifications", where.empty() ? "none" : where);
}

void other_port()
{
  port a, b;
  socket_holder s(::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
  apply(a.h, entry(s.s, 17, api::event_in, api::op_enable, level_oneshot));
  HANDLE r = ::CreateIoCompletionPort(reinterpret_cast<HANDLE>(s.s), b.h, 1, 0);
  row("12. CreateIoCompletionPort on another port after a PSN registration",
      r ? std::string("accepted") : "refused: " + code_text(::GetLastError()));
  row("12. PSN enable of the same socket on another port",
      code_text(apply(b.h, entry(s.s, 18, api::event_in, api::op_enable, level_oneshot))));
}

// Could io threads hear the port without a readiness thread? Only if the port is waitable and
// its signal can be forwarded into another completion port (Asio's) as a packet.
void waitable_port()
{
  port a;
  const DWORD empty = ::WaitForSingleObject(a.h, 0);
  ::PostQueuedCompletionStatus(a.h, 0, 99, nullptr);
  const DWORD queued = ::WaitForSingleObject(a.h, 0);
  auto text = [](DWORD w) {
    return w == WAIT_OBJECT_0 ? std::string("signalled")
           : w == WAIT_TIMEOUT ? std::string("not signalled")
                               : "wait failed: " + code_text(::GetLastError());
  };
  row("15. the port handle, empty / with a packet queued", text(empty) + " / " + text(queued));

  using create_fn = LONG(NTAPI*)(PHANDLE, ACCESS_MASK, PVOID);
  using associate_fn = LONG(NTAPI*)(HANDLE, HANDLE, HANDLE, PVOID, PVOID, LONG, ULONG_PTR,
                                    PBOOLEAN);
  HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  auto create = reinterpret_cast<create_fn>(
      reinterpret_cast<void*>(::GetProcAddress(ntdll, "NtCreateWaitCompletionPacket")));
  auto associate = reinterpret_cast<associate_fn>(
      reinterpret_cast<void*>(::GetProcAddress(ntdll, "NtAssociateWaitCompletionPacket")));
  if (!create || !associate)
  {
    row("15. NtAssociateWaitCompletionPacket", "not exported");
    return;
  }
  port b;
  HANDLE packet = nullptr;
  LONG status = create(&packet, GENERIC_ALL, nullptr);
  if (status < 0)
  {
    row("15. NtCreateWaitCompletionPacket", "failed, NTSTATUS " + std::to_string(status));
    return;
  }
  BOOLEAN already = FALSE;
  status = associate(packet, b.h, a.h, reinterpret_cast<PVOID>(42), nullptr, 0, 0, &already);
  std::string answer = "associate: NTSTATUS " + std::to_string(status) +
                       (already ? ", already signalled" : "");
  OVERLAPPED_ENTRY e[1];
  ULONG got = 0;
  if (status >= 0 && ::GetQueuedCompletionStatusEx(b.h, e, 1, &got, 500, FALSE) && got == 1)
    answer += "; the second port received key " + std::to_string(e[0].lpCompletionKey);
  else if (status >= 0)
    answer += "; nothing reached the second port";
  row("15. forwarding the port's signal with NtAssociateWaitCompletionPacket", answer);
  ::CloseHandle(packet);
}

//--------------------------------------------------------------------------------------------------
// The suites on psn
//--------------------------------------------------------------------------------------------------

std::string directory_of_self()
{
  char path[MAX_PATH];
  DWORD n = ::GetModuleFileNameA(nullptr, path, MAX_PATH);
  std::string s(path, n);
  return s.substr(0, s.find_last_of("\\/") + 1);
}

bool exists(const std::string& path)
{
  return ::GetFileAttributesA(path.c_str()) != INVALID_FILE_ATTRIBUTES;
}

// Runs every suite it finds; false if one fails.
bool run_suites()
{
  const char* suites[][2] = {{"port", "port_conformance.exe --run_test=psn"},
                             {"socket", "socket_tests.exe"},
                             {"acceptor", "acceptor_tests.exe"},
                             {"udp", "udp_tests.exe"},
                             {"udp_msg", "udp_msg_tests.exe"},
                             {"tokens", "token_tests.exe"},
                             {"watcher", "watcher_tests.exe"},
                             {"beast", "beast_tests.exe"}};
  const std::string here = directory_of_self();
  ::SetEnvironmentVariableA("BOOST_SOCKN_BACKEND", "psn");
  bool all_passed = true;
  int found = 0;
  for (auto& suite : suites)
  {
    const std::string command = suite[1];
    const std::string exe = command.substr(0, command.find(' '));
    std::string path = here + exe;
    if (!exists(path)) path = here + "..\\" + suite[0] + "\\" + exe;
    if (!exists(path)) continue;
    ++found;
    for (const char* policy : {"level_oneshot", "edge_persistent"})
    {
      ::SetEnvironmentVariableA("BOOST_SOCKN_TRIGGER", policy);
      std::string line = "\"" + path + "\"" + command.substr(exe.size()) + " --report_level=short";
      std::printf("\n$ BOOST_SOCKN_BACKEND=psn BOOST_SOCKN_TRIGGER=%s %s\n", policy,
                  line.c_str());
      std::fflush(stdout);
      STARTUPINFOA si{};
      si.cb = sizeof si;
      PROCESS_INFORMATION pi{};
      if (!::CreateProcessA(nullptr, &line[0], nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si,
                            &pi))
      {
        std::printf("cannot start it: %s\n", code_text(::GetLastError()).c_str());
        all_passed = false;
        continue;
      }
      ::WaitForSingleObject(pi.hProcess, INFINITE);
      DWORD rc = 1;
      ::GetExitCodeProcess(pi.hProcess, &rc);
      ::CloseHandle(pi.hThread);
      ::CloseHandle(pi.hProcess);
      std::printf("exit status %lu\n", static_cast<unsigned long>(rc));
      all_passed = all_passed && rc == 0;
      if (std::string(suite[0]) == "port") break; // the conformance suite has no policy
    }
  }
  std::printf("\npsn_probe: %d suite(s) found, %s\n", found,
              all_passed ? "all passed on psn" : "SOME FAILED on psn");
  return all_passed;
}

std::string windows_version()
{
  struct version_info
  {
    ULONG size, major, minor, build, platform;
    WCHAR csd[128];
  } v{};
  v.size = sizeof v;
  using rtl_fn = LONG(NTAPI*)(version_info*);
  auto get = reinterpret_cast<rtl_fn>(reinterpret_cast<void*>(
      ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "RtlGetVersion")));
  if (!get || get(&v) != 0) return "unknown";
  return std::to_string(v.major) + "." + std::to_string(v.minor) + " build " +
         std::to_string(v.build);
}

} // namespace

int main(int argc, char** argv)
{
  bool suites = true;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--no-suites") == 0) suites = false;

  WSADATA wsa;
  ::WSAStartup(MAKEWORD(2, 2), &wsa);
  std::printf("## psn_probe report\n\nWindows %s\n\n", windows_version().c_str());
  psn = api::resolve();
  if (!psn)
  {
    std::printf("ProcessSocketNotifications is absent on this system (it needs Windows 10 build "
                "20348 or later, Windows 11 or Server 2022; Wine lacks it): nothing to ask.\n");
    return 0;
  }

  std::printf("| question (docs/port.md) | what this Windows answered |\n|---|---|\n");
  where_exported();
  timeout_code();
  entry_codes();
  conditions();
  disabled_state();
  removal();
  edges();
  oneshot_packets();
  other_port();
  waitable_port();
  std::printf("\n%d answers.\n", rows);
  return suites && !run_suites() ? 1 : 0;
}
