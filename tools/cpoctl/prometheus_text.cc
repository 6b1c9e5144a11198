#include "prometheus_text.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace cpo::cpoctl {
namespace {

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string Escape(const std::string& text, bool quotes) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.9g}", value);  // no binary noise (3.3, not 3.3000000000000003)
}

}  // namespace

void PrometheusText::Gauge(const std::string& name, const std::string& help) {
  index_[name] = families_.size();
  families_.push_back({name, help, "gauge", {}});
}

void PrometheusText::Counter(const std::string& name, const std::string& help) {
  if (!name.ends_with("_total")) throw std::logic_error("counter " + name + " must end in _total");
  index_[name] = families_.size();
  families_.push_back({name, help, "counter", {}});
}

void PrometheusText::Sample(const std::string& name, const PrometheusLabels& labels, double value) {
  auto found = index_.find(name);
  if (found == index_.end()) throw std::logic_error("metric " + name + " was not declared");
  std::string line = name;
  if (!labels.empty()) {
    line += "{";
    for (size_t i = 0; i < labels.size(); ++i) {
      line +=
          fmt::format("{}{}=\"{}\"", i ? "," : "", labels[i].first, Escape(labels[i].second, true));
    }
    line += "}";
  }
  families_[found->second].samples.push_back(line + " " + Number(value));
}

std::string PrometheusText::Render() const {
  std::string out;
  for (const auto& family : families_) {
    if (family.samples.empty()) continue;
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", family.name, Escape(family.help, false),
                       family.name, family.type);
    for (const auto& sample : family.samples) out += sample + "\n";
  }
  return out;
}

}  // namespace cpo::cpoctl
