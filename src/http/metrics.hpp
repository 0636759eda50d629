// Request counters and latency histograms in Prometheus text format.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace peyvand::http {

class Metrics {
 public:
  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                        0.025,  0.05,  0.1,    0.25,  1.0};
  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  // Extra exposition text appended by other layers (database stats, …).
  void AddCollector(std::function<std::string()> collector);
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<long long> buckets = std::vector<long long>(std::size(kBuckets), 0);
    long long count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, long long> requests_;
  std::map<std::string, Histogram> latency_;
  std::vector<std::function<std::string()>> collectors_;
};

}  // namespace peyvand::http
