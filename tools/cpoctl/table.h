// A plain text table: columns sized to their widest cell, numbers right-aligned.
#pragma once

#include <string>
#include <vector>

namespace cpo::cpoctl {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace cpo::cpoctl
