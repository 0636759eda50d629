#include "http/metrics.hpp"

#include <sstream>

namespace peyvand::http {
namespace {

std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::lock_guard lock(mu_);
  requests_[{method, route, status}]++;
  auto& h = latency_[route];
  for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) h.buckets[i]++;
  }
  h.count++;
  h.sum += seconds;
}

void Metrics::AddCollector(std::function<std::string()> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::vector<std::function<std::string()>> collectors;
  {
    std::lock_guard lock(mu_);
    out << "# HELP peyvand_http_requests_total HTTP requests by route and status.\n"
           "# TYPE peyvand_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out << "peyvand_http_requests_total{method=\"" << method << "\",route=\"" << Label(route)
          << "\",status=\"" << status << "\"} " << n << "\n";
    }
    out << "# HELP peyvand_http_request_duration_seconds Request latency by route.\n"
           "# TYPE peyvand_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
        out << "peyvand_http_request_duration_seconds_bucket{route=\"" << Label(route) << "\",le=\""
            << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
      }
      out << "peyvand_http_request_duration_seconds_bucket{route=\"" << Label(route)
          << "\",le=\"+Inf\"} " << h.count << "\n";
      out << "peyvand_http_request_duration_seconds_sum{route=\"" << Label(route) << "\"} " << h.sum
          << "\n";
      out << "peyvand_http_request_duration_seconds_count{route=\"" << Label(route) << "\"} "
          << h.count << "\n";
    }
    collectors = collectors_;
  }
  for (const auto& c : collectors) out << c();
  return out.str();
}

}  // namespace peyvand::http
