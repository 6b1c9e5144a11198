#include "table.h"

#include <algorithm>
#include <cctype>

namespace cpo::cpoctl {
namespace {

bool LooksNumeric(const std::string& cell) {
  // Hex ("0x1C") counts whatever its digits, so a column of codes lines up.
  if (cell.size() > 2 && cell[0] == '0' && cell[1] == 'x') {
    return std::all_of(cell.begin() + 2, cell.end(),
                       [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  }
  return !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell[0])) || cell[0] == '-') &&
         std::all_of(cell.begin(), cell.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-';
         });
}

}  // namespace

std::string Table::Render() const {
  std::vector<size_t> widths(headers_.size());
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = headers_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      std::string pad(widths[c] - cell.size(), ' ');
      bool right = !header && LooksNumeric(cell);
      text += right ? pad + cell : cell + pad;
      if (c + 1 < widths.size()) text += "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  line(headers_, true);
  for (const auto& row : rows_) line(row, false);
  return out;
}

}  // namespace cpo::cpoctl
