// OwnerChannelState: PublishedState over the owner's request channel (an observer's side).
#include <fmt/format.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cpo/hal/owner/published_json.h"
#include "cpo/hal/owner/request_channel.h"

namespace cpo::hal {
namespace {

using nlohmann::json;

// Reads are answered at once, even beside a bring-up; an owner that takes longer is stuck.
constexpr std::chrono::milliseconds kReadTimeout{2000};

class ChannelState final : public PublishedState {
 public:
  ChannelState(std::function<std::string()> channel_path, std::chrono::milliseconds max_age)
      : channel_path_(std::move(channel_path)), max_age_(max_age) {}

  std::optional<std::vector<FlagRecord>> FlagRecords(const std::string& module) override {
    auto modules = Cached(&flags_, module, {{"op", "state.flags"}, {"module", module}}, "modules");
    if (!modules || !modules->contains(module)) return std::nullopt;
    return FlagRecordsFromJson((*modules)[module]);
  }

  std::optional<std::vector<LaserLaneReport>> LaserLanes(const std::string& source) override {
    auto sources = Cached(&lasers_, "", {{"op", "state.lasers"}}, "sources");
    if (!sources || !sources->contains(source)) return std::nullopt;
    return LaserLanesFromJson((*sources)[source]);
  }

  std::optional<EventPage> EventsAfter(uint64_t after_sequence, size_t limit) override {
    auto answer = Ask({{"op", "events.after"}, {"after", after_sequence}, {"limit", limit}});
    if (!answer) return std::nullopt;
    return EventPageFromJson(*answer);
  }

  std::optional<PortsProgress> Progress() override {
    auto answer = Ask({{"op", "bringup.progress"}});
    if (!answer || !answer->contains("progress")) return std::nullopt;
    return ProgressFromJson((*answer)["progress"]);
  }

 private:
  struct Cache {
    std::chrono::steady_clock::time_point fetched;
    std::optional<json> value;
  };

  // The owner's answer to `request`, when it answered ok.
  std::optional<json> Ask(json request) {
    const std::string path = channel_path_();
    if (path.empty()) return std::nullopt;
    request["version"] = kRequestChannelVersion;
    auto text = CallOwner(path, request.dump(), kReadTimeout);
    if (!text.ok()) return std::nullopt;
    json answer = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_object() || !answer.value("ok", false)) return std::nullopt;
    return answer;
  }

  // The answer's `field` to `request`, fetched again once older than max_age_; caches holds one
  // per key (a module's name, or "").
  std::optional<json> Cached(std::map<std::string, Cache>* caches, const std::string& key,
                             const json& request, const char* field) {
    std::lock_guard lock(mutex_);
    Cache& cache = (*caches)[key];
    const auto now = std::chrono::steady_clock::now();
    if (!cache.value || now - cache.fetched > max_age_) {
      auto answer = Ask(request);
      cache.value.reset();
      if (answer && answer->contains(field) && (*answer)[field].is_object()) {
        cache.value = std::move((*answer)[field]);
      }
      cache.fetched = now;
    }
    return cache.value;
  }

  std::function<std::string()> channel_path_;
  std::chrono::milliseconds max_age_;
  std::mutex mutex_;
  std::map<std::string, Cache> flags_;   // by module; guarded by mutex_
  std::map<std::string, Cache> lasers_;  // one, key ""; guarded by mutex_
};

}  // namespace

std::shared_ptr<PublishedState> OwnerChannelState(std::function<std::string()> channel_path,
                                                  std::chrono::milliseconds max_age) {
  return std::make_shared<ChannelState>(std::move(channel_path), max_age);
}

}  // namespace cpo::hal
