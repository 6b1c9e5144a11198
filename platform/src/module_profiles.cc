#include "module_profiles.h"

#include <fmt/format.h>

#include <set>
#include <string>

namespace cpo::platform {
namespace {

const std::set<std::string>& DurationNames(ModuleKind kind) {
  static const std::set<std::string> kEngine = {"module_power_up", "module_power_down",
                                                "data_path_init",  "data_path_deinit",
                                                "tx_turn_on",      "tx_turn_off"};
  static const std::set<std::string> kLaser = {"module_power_up", "module_power_down", "lane_ramp"};
  return kind == ModuleKind::kEngine ? kEngine : kLaser;
}

std::string KindName(ModuleKind kind) {
  return kind == ModuleKind::kEngine ? "engine" : "laser_source";
}

std::optional<bool> Flag(Diagnostics& diag, const YAML::Node& map, const char* key,
                         const std::string& path) {
  const YAML::Node value = map[key];
  if (!value) return std::nullopt;
  if (value.IsScalar() && (value.Scalar() == "true" || value.Scalar() == "false")) {
    return value.Scalar() == "true";
  }
  diag.Error(ToMark(value.Mark()), Parser::Join(path, key), "expected true or false");
  return std::nullopt;
}

void CheckReference(const Platform& platform, Diagnostics& diag, const std::string& profile,
                    ModuleKind kind, SourceMark mark, const std::string& path) {
  if (profile.empty()) return;
  const ModuleProfileConfig* found = platform.FindProfile(profile);
  if (found == nullptr) {
    std::string known;
    for (const auto& p : platform.module_profiles) {
      if (p.kind == kind) known += (known.empty() ? "" : ", ") + p.name;
    }
    diag.Error(
        mark, path,
        fmt::format("no module profile named '{}' (define it under module_profiles{})", profile,
                    known.empty() ? "" : "; " + KindName(kind) + " profiles: " + known));
  } else if (found->kind != kind) {
    diag.Error(mark, path,
               fmt::format("profile '{}' is of kind {}; this entry needs one of kind {}", profile,
                           KindName(found->kind), KindName(kind)));
  }
}

}  // namespace

void ParseModuleProfiles(Parser& p, Diagnostics& diag, const YAML::Node& list, Platform& platform) {
  for (size_t i = 0; i < list.size(); ++i) {
    ModuleProfileConfig profile;
    const YAML::Node node = list[i];
    const std::string path = fmt::format("module_profiles[{}]", i);
    if (!p.Map(node, path, {"name", "kind", "vdm", "diagnostics_pages", "durations_ms"},
               profile.marks)) {
      continue;
    }
    if (auto v = p.String(node, "name", path, profile.marks, true)) profile.name = *v;
    if (auto v = p.String(node, "kind", path, profile.marks, true)) {
      if (*v == "laser_source") {
        profile.kind = ModuleKind::kLaserSource;
      } else if (*v != "engine") {
        diag.Error(profile.marks.At("kind"), path + ".kind",
                   fmt::format("'{}' is not a module kind; use engine or laser_source", *v));
      }
    }
    for (auto [key, field] : {std::pair{"vdm", &profile.vdm},
                              std::pair{"diagnostics_pages", &profile.diagnostics_pages}}) {
      if (auto v = Flag(diag, node, key, path)) {
        if (profile.kind != ModuleKind::kEngine) {
          diag.Error(profile.marks.At(key), Parser::Join(path, key),
                     "only an engine profile says this; a laser source has no such pages");
        }
        *field = *v;
      }
    }
    if (const YAML::Node durations = node["durations_ms"]) {
      const std::string at = path + ".durations_ms";
      Marks marks;
      if (p.Map(durations, at, DurationNames(profile.kind), marks)) {
        for (const auto& name : DurationNames(profile.kind)) {
          // Up to 10 minutes: beyond that CMIS codes stop and no test would wait.
          if (auto v = p.Integer(durations, name, at, marks, false, 1, 600000)) {
            profile.durations_ms[name] = static_cast<uint32_t>(*v);
          }
        }
      }
    }
    platform.module_profiles.push_back(std::move(profile));
  }
}

void ValidateModuleProfiles(const Platform& platform, Diagnostics& diag) {
  std::set<std::string> seen;
  for (size_t i = 0; i < platform.module_profiles.size(); ++i) {
    const auto& profile = platform.module_profiles[i];
    if (!seen.insert(profile.name).second) {
      diag.Error(profile.marks.At("name"), fmt::format("module_profiles[{}].name", i),
                 fmt::format("profile name '{}' is used twice", profile.name));
    }
  }
  for (size_t i = 0; i < platform.optical_engines.size(); ++i) {
    const auto& engine = platform.optical_engines[i];
    CheckReference(platform, diag, engine.profile, ModuleKind::kEngine, engine.marks.At("profile"),
                   fmt::format("optical_engines[{}].profile", i));
  }
  for (size_t i = 0; i < platform.laser_sources.size(); ++i) {
    const auto& source = platform.laser_sources[i];
    CheckReference(platform, diag, source.profile, ModuleKind::kLaserSource,
                   source.marks.At("profile"), fmt::format("laser_sources[{}].profile", i));
  }
}

}  // namespace cpo::platform
