// Field readers over yaml-cpp nodes for the platform loader: each checks a key's type and range
// and records an error naming file:line:col and the key path, so the loader reads top-down.
#pragma once

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cpo/platform/lane_list.h"
#include "diagnostics.h"

namespace cpo::platform {

inline SourceMark ToMark(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

class Parser {
 public:
  explicit Parser(Diagnostics& diagnostics) : diag_(diagnostics) {}

  // Checks `node` is a map with only `allowed` keys (each once); records key marks.
  bool Map(const YAML::Node& node, const std::string& path, const std::set<std::string>& allowed,
           Marks& marks) {
    marks.self = ToMark(node.Mark());
    if (!node.IsMap()) {
      diag_.Error(marks.self, path, "expected a mapping of keys");
      return false;
    }
    for (const auto& entry : node) {
      std::string key = entry.first.Scalar();
      SourceMark key_mark = ToMark(entry.first.Mark());
      if (!allowed.contains(key)) {
        std::string known;
        for (const auto& name : allowed) known += (known.empty() ? "" : ", ") + name;
        diag_.Error(key_mark, Join(path, key), fmt::format("unknown key (known keys: {})", known));
      } else if (marks.keys.contains(key)) {
        diag_.Error(key_mark, Join(path, key), "key given twice");
      }
      marks.keys.emplace(key, key_mark);
    }
    return true;
  }

  std::optional<std::string> String(const YAML::Node& map, const std::string& key,
                                    const std::string& path, const Marks& marks, bool required) {
    const YAML::Node value = map[key];
    if (!value) {
      if (required) diag_.Error(marks.self, Join(path, key), "required key is missing");
      return std::nullopt;
    }
    if (!value.IsScalar() || value.Scalar().empty()) {
      diag_.Error(ToMark(value.Mark()), Join(path, key), "expected a non-empty string");
      return std::nullopt;
    }
    return value.Scalar();
  }

  std::optional<int64_t> Integer(const YAML::Node& map, const std::string& key,
                                 const std::string& path, const Marks& marks, bool required,
                                 int64_t min, int64_t max) {
    const YAML::Node value = map[key];
    if (!value) {
      if (required) diag_.Error(marks.self, Join(path, key), "required key is missing");
      return std::nullopt;
    }
    auto parsed = ParseInteger(value);
    if (!parsed) {
      diag_.Error(
          ToMark(value.Mark()), Join(path, key),
          fmt::format("expected an integer, got '{}'", value.IsScalar() ? value.Scalar() : "?"));
      return std::nullopt;
    }
    if (*parsed < min || *parsed > max) {
      diag_.Error(ToMark(value.Mark()), Join(path, key),
                  fmt::format("{} is out of range [{}, {}]", *parsed, min, max));
      return std::nullopt;
    }
    return parsed;
  }

  // A real number within [min, max].
  std::optional<double> Number(const YAML::Node& map, const std::string& key,
                               const std::string& path, const Marks& marks, bool required,
                               double min, double max) {
    const YAML::Node value = map[key];
    if (!value) {
      if (required) diag_.Error(marks.self, Join(path, key), "required key is missing");
      return std::nullopt;
    }
    double parsed = 0;
    const std::string text = value.IsScalar() ? value.Scalar() : "";
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      diag_.Error(ToMark(value.Mark()), Join(path, key),
                  fmt::format("expected a number, got '{}'", value.IsScalar() ? text : "?"));
      return std::nullopt;
    }
    if (parsed < min || parsed > max) {
      diag_.Error(ToMark(value.Mark()), Join(path, key),
                  fmt::format("{} is out of range [{}, {}]", parsed, min, max));
      return std::nullopt;
    }
    return parsed;
  }

  // A lane list: a sequence of integers, or a string of ranges such as "0-7" or "1-4,9-12".
  std::vector<int> Lanes(const YAML::Node& map, const std::string& key, const std::string& path,
                         const Marks& marks) {
    std::vector<int> lanes;
    const YAML::Node value = map[key];
    if (!value) {
      diag_.Error(marks.self, Join(path, key), "required key is missing");
      return lanes;
    }
    SourceMark mark = ToMark(value.Mark());
    if (value.IsSequence()) {
      for (const auto& item : value) {
        auto lane = ParseInteger(item);
        if (!lane || *lane < 0 || *lane > 100000) {
          diag_.Error(ToMark(item.Mark()), Join(path, key), "expected a lane number");
          return {};
        }
        lanes.push_back(static_cast<int>(*lane));
      }
    } else if (value.IsScalar()) {
      auto parsed = ParseLaneList(value.Scalar());
      if (!parsed.ok()) {
        diag_.Error(mark, Join(path, key), parsed.status().message());
        return {};
      }
      lanes = std::move(parsed).value();
    } else {
      diag_.Error(mark, Join(path, key), "expected a list of lanes or a range string like \"0-7\"");
    }
    if (lanes.empty()) diag_.Error(mark, Join(path, key), "no lanes given");
    return lanes;
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  static std::optional<int64_t> ParseInteger(const YAML::Node& node) {
    if (!node.IsScalar()) return std::nullopt;
    const std::string& text = node.Scalar();
    int base = 10;
    size_t start = 0;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      base = 16;
      start = 2;
    }
    int64_t value = 0;
    auto [end, error] =
        std::from_chars(text.data() + start, text.data() + text.size(), value, base);
    if (error != std::errc() || end != text.data() + text.size() || start == text.size()) {
      return std::nullopt;
    }
    return value;
  }

  Diagnostics& diag_;
};

}  // namespace cpo::platform
