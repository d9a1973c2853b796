// test/differential/regressions.ipp
//
// The saved regression scripts of the differential suite, included into a list of
//   {seed, "what the mismatch was, and where it was fixed", R"(script text)"},
// A failing seed prints itself in this form, shrunk. Seed 0: written by hand.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

{33u, "the strict model withheld hangup from a socket whose connection was reset before the model "
      "first probed it (it took the closed socket for one never connected): the wait never "
      "completed, while the inner port woke the model again and again; fixed in the model's probe",
 R"(threads 1
reset 2 0 0
write 3 40000 0
wait 3 0 0
)"},

{69u, "a write wait on a connection reset by the peer, whose error a failed write had taken, "
      "never completed on the strict model: the reactor asked for out alone, which a reset "
      "socket never is, and the model, woken by epoll's unmaskable EPOLLHUP for nothing it may "
      "report, spun; fixed in the reactor (writes ask for the hang-up), the wait (a hang-up makes "
      "a socket writable) and the model (a withheld wake watches for the next change)",
 R"(threads 1
reset 2 0 0
write 3 2 0
wait_signal 3 1 1
)"},

{85u, "under Wine a wait_read started after the socket's own shutdown(both) never completed: the "
      "port never reports the socket again, where Asio's zero-byte receive fails at once; fixed "
      "in the reactor (a socket that shut its receiving side counts readable for its reads)",
 R"(threads 1
shutdown 2 2 0
wait 2 0 0
)"},

{126u, "the same as seed 85 after shutdown(receive), for a wait bound to a cancellation signal",
 R"(threads 1
shutdown 0 0 0
wait_signal 0 0 0
)"},

{139u, "under Wine Asio's wait_read on a connection the peer reset fails with connection_reset "
       "(a zero-byte overlapped receive), where its Linux reactor and boost_sockn complete it: "
       "Asio's outcome set widened (outcomes.hpp)",
 R"(threads 1
wait 3 0 0
reset 2 0 0
)"},
