// Prometheus text exposition format (version 0.0.4): metric families with HELP and TYPE lines and
// labelled samples, as node_exporter's textfile collector reads them.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cpo::cpoctl {

using PrometheusLabels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  // Declares a gauge family; samples may follow in any order. The name carries the unit
  // (cpo_engine_temperature_celsius).
  void Gauge(const std::string& name, const std::string& help);
  // Declares a counter family (its name ends in _total).
  void Counter(const std::string& name, const std::string& help);
  void Sample(const std::string& name, const PrometheusLabels& labels, double value);
  // Families in declaration order, each with its HELP, TYPE and samples.
  std::string Render() const;

 private:
  struct Family {
    std::string name;
    std::string help;
    const char* type;  // "gauge", "counter"
    std::vector<std::string> samples;
  };
  std::vector<Family> families_;
  std::map<std::string, size_t> index_;
};

}  // namespace cpo::cpoctl
