//
// src/port/model_record.cpp
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "model_record.hpp"

#include <boost_sockn/port_model.hpp>

#include <cstdio>
#include <mutex>
#include <utility>
#include <vector>

namespace boost_sockn {
namespace detail {
namespace {

struct model_record
{
  std::mutex mutex;
  std::vector<model::violation> violations;
  boost::system::error_code call_failure;
  unsigned failing_calls = 0;
  port_op failing_op = port_op::none; // only calls carrying such an entry fail
  boost::system::error_code entry_failure[5]; // by port_op value (enable 1, disable 2, remove 4)
};

model_record& record()
{
  static model_record r;
  return r;
}

bool entry_index(port_op op, unsigned& i)
{
  i = static_cast<unsigned>(op);
  return i > 0 && i < 5;
}

} // namespace

void report_violation(native_socket_type s, std::string rule, std::string detail)
{
  std::fprintf(stderr, "boost_sockn model: contract violation: %s (socket %lld): %s\n",
               rule.c_str(), static_cast<long long>(s), detail.c_str());
  std::fflush(stderr);
  model_record& r = record();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.violations.push_back(model::violation{s, std::move(rule), std::move(detail)});
}

boost::system::error_code injected_call_failure(const registration* regs, std::size_t count)
{
  model_record& r = record();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (r.failing_calls == 0)
    return {};
  bool meant = r.failing_op == port_op::none;
  for (std::size_t i = 0; i < count && !meant; ++i)
    meant = regs[i].op == r.failing_op;
  if (!meant)
    return {};
  --r.failing_calls;
  return r.call_failure;
}

boost::system::error_code injected_entry_failure(port_op op)
{
  unsigned i;
  if (!entry_index(op, i))
    return {};
  model_record& r = record();
  std::lock_guard<std::mutex> lock(r.mutex);
  boost::system::error_code ec = r.entry_failure[i];
  r.entry_failure[i].clear();
  return ec;
}

} // namespace detail

namespace model {

std::vector<violation> take_violations()
{
  auto& r = detail::record();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<violation> v;
  v.swap(r.violations);
  return v;
}

void fail_next_calls(const boost::system::error_code& ec, unsigned calls, port_op op)
{
  auto& r = detail::record();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.call_failure = ec;
  r.failing_calls = calls;
  r.failing_op = op;
}

void fail_next_entry(port_op op, const boost::system::error_code& ec)
{
  unsigned i;
  if (!detail::entry_index(op, i))
    return;
  auto& r = detail::record();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.entry_failure[i] = ec;
}

} // namespace model
} // namespace boost_sockn
