//
// test/differential/outcomes.hpp
//
// Comparing boost_sockn's trace of a script with native Asio's. Equal is the rule. The
// exceptions, where Asio itself allows more than one outcome, are all written down here, in
// `asio_allows`, each with the reason it is Asio's own latitude and not ours: a difference
// that none of them covers is a mismatch.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_DIFFERENTIAL_OUTCOMES_HPP
#define BOOST_SOCKN_TEST_DIFFERENTIAL_OUTCOMES_HPP

#include "differential/trace.hpp"

#include <boost/asio/error.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <cstddef>
#include <string>
#include <vector>

namespace differential {

/// A difference between Asio's outcome of an operation (`a`) and boost_sockn's (`b`) that is
/// allowed, and why. Some allowances depend on what came before: Asio's trace and the
/// operation's number come along.
struct allowance
{
  const char* name;
  const char* reason;
  bool (*applies)(const operation& a, const operation& b, const trace& asio, std::size_t i);
};

/// Whether a transfer came back "exhausted" in the sense of Asio's reactor_op::done_and_exhausted:
/// a read that ended in end of file or an error, a write that failed or fell short.
inline bool exhausted(const operation& op)
{
  if (!op.completed || op.ec == boost::asio::error::operation_aborted)
    return false;
  if (op.direction == 'r')
    return static_cast<bool>(op.ec);
  if (op.direction == 'w')
    return op.ec || op.bytes < op.requested;
  return false;
}

/// The transfer that last completed, before operation `i` did (or at all, if `i` never did), in
/// the same direction on the same socket and connection, leaving out cancelled ones and waits;
/// null if none. A cancelled transfer never touched the socket and a wait reads nothing: this is
/// the transfer whose outcome left the socket in the state `i` met. (It may have started after
/// `i`: a composed read queues each of its steps anew, behind what was started meanwhile.)
inline const operation* previous_transfer(const trace& t, std::size_t i)
{
  const operation& op = t.operations[i];
  const operation* last = nullptr;
  for (std::size_t j = 0; j < t.operations.size(); ++j)
  {
    const operation& p = t.operations[j];
    if (j == i || p.slot != op.slot || p.direction != op.direction ||
        p.connection != op.connection || p.requested == 0 || !p.completed ||
        p.ec == boost::asio::error::operation_aborted)
      continue;
    if (op.completed && (p.settled_in > op.settled_in || (p.settled_in == op.settled_in && j > i)))
      continue;
    if (!last || p.settled_in >= last->settled_in)
      last = &p;
  }
  return last;
}

#if defined(_WIN32)
/// What Asio's overlapped operations complete with under Wine when their socket is closed with
/// SO_LINGER 0, where Windows gives operation_aborted.
inline boost::system::error_code wine_close_error()
{
  return boost::system::error_code(676, boost::system::system_category());
}

/// An operation that never completed by itself: cancelled, or closed under (see above).
inline bool cancelled_by_close(const boost::system::error_code& ec)
{
  return ec == boost::asio::error::operation_aborted || ec == wine_close_error();
}
#endif

/// Asio's outcome sets. Each entry names outcomes of one operation that Asio gives either of, on
/// some platform or reactor, for the same sequence of calls.
inline const std::vector<allowance>& asio_allows()
{
  static const std::vector<allowance> table = {
    {"waits after exhaustion",
     "Asio's Linux reactor makes no speculative attempt for a transfer that follows one that came "
     "back exhausted (reactor_op::done_and_exhausted: a read of end of file or an error, a short "
     "or failed write; epoll_reactor::start_op), and stops performing the queue behind such a "
     "one (descriptor_state::perform_io): the next waits for the socket's next edge. "
     "After end of file, a reset or an error that edge may never come (the operation stays "
     "pending until cancelled or closed), or comes with data that arrives later (a read after "
     "shutdown(receive), which Linux still delivers to). Asio's level-triggered select reactor "
     "and its IOCP sockets complete it with the socket's state. So does boost_sockn: no later "
     "than Asio, with end of file or an error, and no bytes beyond those a composed read had "
     "read before.",
     [](const operation& a, const operation& b, const trace& asio, std::size_t i) {
       const operation* before = previous_transfer(asio, i);
       const bool wait = b.requested == 0; // a wait (transfers of 0 bytes are never generated)
       // A composed read (async_read) reports the bytes its earlier steps read: no more than
       // Asio's, which may have read on.
       const bool at_once = wait ? !b.ec
                                 : b.ec && b.ec != boost::asio::error::operation_aborted &&
                                       (b.bytes == 0 || b.bytes <= a.bytes);
       return before && exhausted(*before) && before->ec && b.completed && at_once &&
              (!a.completed || b.settled_in <= a.settled_in);
     }},
    {"wait_error on a hang-up",
     "Asio's Linux reactor completes async_wait(wait_error) on EPOLLHUP, when both directions of "
     "the connection are shut; its Windows sockets wait with select(), whose exception set a "
     "hang-up does not enter, and never complete it. boost_sockn follows the PSN contract, which "
     "reports an orderly hang-up apart from an error: the wait stays pending, as on Windows.",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.direction == 'e' && a.after_shutdown && a.completed && !a.ec && b.completed &&
              b.ec == boost::asio::error::operation_aborted;
     }},
    {"wait_error on a reset",
     "The other side of the entry above: Asio's Windows sockets wait for wait_error with select(), "
     "whose exception set holds out-of-band data and failed connects only, so a connection reset "
     "never completes the wait; its Linux reactor completes it on EPOLLERR. boost_sockn completes "
     "it on the error the port reports, as on Linux.",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.direction == 'e' && a.ec == boost::asio::error::operation_aborted && b.completed &&
              !b.ec;
     }},
#if defined(_WIN32)
    {"wait_read on a reset connection, Windows",
     "Asio's Windows sockets wait for wait_read with a zero-byte overlapped receive, which fails "
     "with connection_reset once the peer reset the connection; its Linux reactor reports the "
     "socket readable and completes the wait without an error, as boost_sockn does (a wait "
     "reports readiness; the read that follows gets the error).",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.direction == 'r' && a.requested == 0 &&
              a.ec == boost::asio::error::connection_reset && b.completed && !b.ec;
     }},
    {"wait_read behind a read that took the data, Windows",
     "Asio's Windows sockets wait for wait_read with a zero-byte overlapped receive, which "
     "completes when data arrives that no earlier receive took: a wait queued behind a read that "
     "takes the data stays pending. Asio's Linux reactor performs the queue in order on the "
     "readiness and completes the wait after the read, as boost_sockn does.",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.direction == 'r' && a.requested == 0 && cancelled_by_close(a.ec) && b.completed &&
              !b.ec;
     }},
    {"wait_read after the socket's own shutdown(receive), Windows",
     "Asio's zero-byte receive fails with WSAESHUTDOWN once the socket shut its receiving side; "
     "its Linux reactor reports the socket readable (end of file, or data that arrived) and "
     "completes the wait, as boost_sockn does.",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.direction == 'r' && a.requested == 0 && a.ec == boost::asio::error::shut_down &&
              b.completed && !b.ec;
     }},
    {"a read whose own socket closes with SO_LINGER 0, Wine",
     "Asio documents operation_aborted for the operations a close() cancels, and boost_sockn "
     "reports it; Asio's overlapped read under Wine completes with the system error 676 instead "
     "when the close resets the connection (SO_LINGER 0).",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.ec == wine_close_error() && b.ec == boost::asio::error::operation_aborted;
     }},
#endif
  };
  return table;
}

/// boost_sockn's documented differences from Asio (docs/reactor.md, "Differences from Asio") that
/// a script can meet: not Asio's latitude but ours, named so that the comparison can excuse them
/// and count them. Each holds on one platform only.
inline const std::vector<allowance>& known_differences()
{
  static const std::vector<allowance> table = {
#if defined(_WIN32)
    {"a peer's reset under a pending read, Wine",
     "Under Wine the AFD poll reports a peer's reset as a hang-up, and the recv() after it returns "
     "0: a read pending when the peer resets completes with end of file, where Asio's overlapped "
     "read gets connection_reset. Linux reports connection_reset as Asio does.",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.direction == 'r' && a.ec == boost::asio::error::connection_reset &&
              b.ec == boost::asio::error::eof && b.bytes == a.bytes;
     }},
    {"a read waiting at the socket's own shutdown(receive), Windows",
     "An overlapped read posted before the socket shut its receiving side goes on waiting on "
     "Asio: it receives what arrives afterwards (and a composed read then fails with "
     "WSAESHUTDOWN), the peer's close, or its cancellation. A readiness-based read (boost_sockn, "
     "and Asio's own reactor when built without IOCP) is tried again at the shutdown, since the "
     "port may never report the socket ready after it, and fails with WSAESHUTDOWN, without "
     "the bytes that arrive later.",
     [](const operation& a, const operation& b, const trace&, std::size_t) {
       return a.direction == 'r' && a.requested > 0 && b.ec == boost::asio::error::shut_down &&
              b.bytes <= a.bytes;
     }},
#endif
  };
  return table;
}

/// How many operations each allowance or known difference excused, by name.
using tally = std::map<std::string, std::uint64_t>;

/// The differences between the trace Asio left (`expected`) and boost_sockn's (`actual`) that no
/// allowance covers, one line each; empty when they agree. A breach of the handler guarantees is
/// a difference on either side.
inline std::vector<std::string> compare(const trace& expected, const trace& actual,
                                        tally* excused = nullptr)
{
  std::vector<std::string> out;
  for (const std::string& b : expected.breaches)
    out.push_back("native Asio breached a guarantee (the script cannot judge): " + b);
  for (const std::string& b : actual.breaches)
    out.push_back("boost_sockn breached a guarantee: " + b);

  const auto show = [](const operation& op) {
    std::string s = describe(op.ec) + ", " + std::to_string(op.bytes) + " bytes";
    if (op.content)
      s += " (hash " + std::to_string(op.content) + ")";
    if (!op.result.empty())
      s += ", " + op.result;
    return s;
  };
  // Once an allowance applied to an operation, the two connections' states may differ (Asio
  // reads later data that boost_sockn left unread, and the kernel then answers differently): on
  // that connection, what follows the operation is not compared, and neither are the byte counts
  // of its sockets. Guarantee breaches still are.
  struct divergence
  {
    int pair;
    std::uint64_t connection;
    std::size_t operation, step;
  };
  std::vector<divergence> diverged;
  const auto past_divergence = [&](int slot, std::uint64_t connection, std::size_t step) {
    return std::any_of(diverged.begin(), diverged.end(), [&](const divergence& d) {
      return slot >= 0 && d.pair == slot / 2 && d.connection == connection && step > d.step;
    });
  };
  const auto op_past_divergence = [&](const operation& op, std::size_t i) {
    return std::any_of(diverged.begin(), diverged.end(), [&](const divergence& d) {
      return op.slot >= 0 && d.pair == op.slot / 2 && d.connection == op.connection &&
             i > d.operation;
    });
  };
  const std::size_t n = std::max(expected.operations.size(), actual.operations.size());
  for (std::size_t i = 0; i < n; ++i)
  {
    if (i >= expected.operations.size() || i >= actual.operations.size())
    {
      out.push_back("operation #" + std::to_string(i) + " started on one library only");
      continue;
    }
    const operation& e = expected.operations[i];
    const operation& a = actual.operations[i];
    if (e.what != a.what)
    {
      out.push_back("operation #" + std::to_string(i) + ": started as '" + e.what +
                    "' on Asio, '" + a.what + "' on boost_sockn");
      continue;
    }
    if (op_past_divergence(e, i))
      continue;
    if (e.completed != a.completed || e.ec != a.ec || e.bytes != a.bytes || e.result != a.result ||
        e.content != a.content)
    {
      const allowance* excuse = nullptr;
      for (const auto* table : {&asio_allows(), &known_differences()})
        for (const allowance& al : *table)
          if (!excuse && al.applies(e, a, expected, i))
            excuse = &al;
      if (excuse && excused)
        ++(*excused)[excuse->name];
      if (!excuse)
        out.push_back("operation #" + std::to_string(i) + " '" + e.what + "': Asio " + show(e) +
                      "; boost_sockn " + show(a));
      else if (e.slot >= 0)
        diverged.push_back({e.slot / 2, e.connection, i, e.step});
    }
  }
  for (std::size_t i = 0; i < expected.steps.size() && i < actual.steps.size(); ++i)
  {
    const step_note& e = expected.steps[i];
    if (e.text != actual.steps[i].text && !past_divergence(e.slot, e.connection, i))
      out.push_back("step " + std::to_string(i) + ": Asio '" + e.text + "'; boost_sockn '" +
                    actual.steps[i].text + "'");
  }
  for (std::size_t s = 0; s < expected.bytes_in.size(); ++s)
    if (expected.bytes_in[s] != actual.bytes_in[s] &&
        std::none_of(diverged.begin(), diverged.end(),
                     [&](const divergence& d) { return d.pair == static_cast<int>(s) / 2; }))
      out.push_back("slot " + std::to_string(s) + " received " +
                    std::to_string(expected.bytes_in[s]) + " bytes on Asio, " +
                    std::to_string(actual.bytes_in[s]) + " on boost_sockn");
  return out;
}

} // namespace differential

#endif // BOOST_SOCKN_TEST_DIFFERENTIAL_OUTCOMES_HPP
