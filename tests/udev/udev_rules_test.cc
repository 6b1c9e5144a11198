// Syntax and content of udev/60-cpo.rules, checked the way udev reads it: comma-separated
// KEY OP "VALUE" items, match keys with == or !=, assignment keys with =, += or :=.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

struct Item {
  std::string key;  // "ATTR{vendor}" keeps its attribute
  std::string op;
  std::string value;
};

struct Rule {
  int line = 0;
  std::vector<Item> items;
  bool Has(const std::string& key, const std::string& value) const {
    for (const auto& item : items) {
      if (item.key == key && item.value == value) return true;
    }
    return false;
  }
};

const std::set<std::string> kMatchKeys = {"ACTION", "SUBSYSTEM",  "KERNEL",  "DRIVER",  "ATTR",
                                          "ATTRS",  "SUBSYSTEMS", "KERNELS", "DRIVERS", "ENV",
                                          "TAG",    "TEST",       "PROGRAM", "RESULT"};
const std::set<std::string> kAssignKeys = {"GROUP", "MODE", "OWNER", "SYMLINK", "RUN",
                                           "TAG",   "ENV",  "ATTR",  "NAME",    "OPTIONS"};

std::string BaseKey(const std::string& key) { return key.substr(0, key.find('{')); }

std::vector<Rule> Parse(const std::string& path, std::vector<std::string>& errors) {
  std::ifstream file(path);
  std::vector<Rule> rules;
  std::string line;
  const std::regex item(
      R"(^\s*([A-Z]+(\{[A-Za-z0-9_]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*\"([^\"]*)\"\s*(,|$))");
  for (int number = 1; std::getline(file, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    Rule rule{number, {}};
    std::string rest = line;
    std::smatch match;
    while (!rest.empty() && std::regex_search(rest, match, item)) {
      rule.items.push_back({match[1], match[3], match[4]});
      rest = match.suffix();
    }
    if (!rest.empty()) {
      errors.push_back("line " + std::to_string(number) + ": cannot parse '" + rest + "'");
    }
    rules.push_back(rule);
  }
  return rules;
}

TEST(UdevRulesTest, EveryItemIsAKnownKeyWithTheRightOperator) {
  std::vector<std::string> errors;
  auto rules = Parse(CPO_UDEV_RULES, errors);
  EXPECT_TRUE(errors.empty()) << errors[0];
  ASSERT_GE(rules.size(), 3u);
  for (const auto& rule : rules) {
    int matches = 0, assignments = 0;
    for (const auto& item : rule.items) {
      const std::string base = BaseKey(item.key);
      const bool is_match = item.op == "==" || item.op == "!=";
      if (is_match) {
        ++matches;
        EXPECT_TRUE(kMatchKeys.contains(base)) << "line " << rule.line << ": " << item.key;
      } else {
        ++assignments;
        EXPECT_TRUE(kAssignKeys.contains(base)) << "line " << rule.line << ": " << item.key;
      }
      if (base == "MODE") {
        EXPECT_TRUE(std::regex_match(item.value, std::regex("0[0-7]{3}"))) << item.value;
      }
      if (base == "GROUP") {
        EXPECT_EQ(item.value, "cpo") << "line " << rule.line;
      }
      if (base == "SYMLINK") {
        EXPECT_EQ(item.value.rfind("cpo/", 0), 0u) << item.value;
      }
      if (base == "RUN") {
        EXPECT_EQ(item.value[0], '/') << "RUN needs an absolute path: " << item.value;
      }
    }
    EXPECT_GT(matches, 0) << "line " << rule.line << " matches every device";
    EXPECT_GT(assignments, 0) << "line " << rule.line << " does nothing";
  }
}

TEST(UdevRulesTest, GrantsGroupCpoTheBarAndTheI2cNodesOfTheManagementBlock) {
  std::vector<std::string> errors;
  auto rules = Parse(CPO_UDEV_RULES, errors);
  bool bar = false, i2c = false;
  for (const auto& rule : rules) {
    if (rule.Has("SUBSYSTEM", "pci") && rule.Has("ATTR{vendor}", "0x1234")) {
      for (const auto& item : rule.items) {
        if (item.key == "RUN" && item.value.find("chgrp cpo") != std::string::npos &&
            item.value.find("resource0") != std::string::npos) {
          bar = true;
        }
      }
    }
    if (rule.Has("SUBSYSTEM", "i2c-dev") && rule.Has("ATTRS{vendor}", "0x1234") &&
        rule.Has("GROUP", "cpo") && rule.Has("MODE", "0660") && rule.Has("SYMLINK", "cpo/i2c-%n")) {
      i2c = true;
    }
  }
  EXPECT_TRUE(bar);
  EXPECT_TRUE(i2c);
}

TEST(UdevRulesTest, GrantsGroupCpoTheVfioGroupNodes) {
  std::vector<std::string> errors;
  bool vfio = false;
  for (const auto& rule : Parse(CPO_UDEV_RULES, errors)) {
    vfio = vfio || (rule.Has("SUBSYSTEM", "vfio") && rule.Has("KERNEL", "[0-9]*") &&
                    rule.Has("GROUP", "cpo") && rule.Has("MODE", "0660"));
  }
  EXPECT_TRUE(vfio);
}

}  // namespace
