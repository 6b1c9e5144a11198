// What an owner publishes to observers, taken apart from the channel: the event log's cursors,
// the bring-up tracker, and the JSON both ends of the request channel speak.
#include <gtest/gtest.h>

#include "cpo/hal/owner/published_json.h"
#include "events/event_hub.h"
#include "events/event_log.h"
#include "ports/bringup_progress.h"

namespace cpo::hal {
namespace {

using std::chrono::nanoseconds;

Event Numbered(int number) {
  return Event{.kind = EventKind::kFlagSet,
               .source = "oe0",
               .name = "flag" + std::to_string(number),
               .detail = "",
               .time = nanoseconds(number),
               .ports = {},
               .outage = {}};
}

std::vector<std::string> Names(const EventPage& page) {
  std::vector<std::string> names;
  for (const auto& event : page.events) names.push_back(event.name);
  return names;
}

TEST(EventLogTest, EachReaderFollowsItsOwnCursorAndConsumesNothing) {
  EventLog log(8);
  EXPECT_EQ(log.After(0, 10).last_sequence, 0u);
  log.Append({Numbered(1), Numbered(2), Numbered(3)});
  const EventPage first = log.After(0, 10);
  EXPECT_EQ(Names(first), (std::vector<std::string>{"flag1", "flag2", "flag3"}));
  EXPECT_EQ(first.last_sequence, 3u);
  EXPECT_EQ(first.missed, 0u);
  EXPECT_EQ(Names(log.After(0, 10)), Names(first));  // another reader sees the same
  EXPECT_EQ(Names(log.After(2, 10)), (std::vector<std::string>{"flag3"}));
  EXPECT_TRUE(log.After(3, 10).events.empty());
  EXPECT_TRUE(log.After(99, 10).events.empty());  // a cursor from another owner's log
}

TEST(EventLogTest, AReaderThatFellBehindIsToldHowManyItMissed) {
  EventLog log(4);
  for (int number = 1; number <= 10; ++number) log.Append({Numbered(number)});
  const EventPage page = log.After(2, 100);
  EXPECT_EQ(Names(page), (std::vector<std::string>{"flag7", "flag8", "flag9", "flag10"}));
  EXPECT_EQ(page.missed, 4u);                // 3..6 are gone
  const EventPage newest = log.After(0, 2);  // a limit keeps the newest
  EXPECT_EQ(Names(newest), (std::vector<std::string>{"flag9", "flag10"}));
  EXPECT_EQ(newest.missed, 8u);
  EXPECT_EQ(log.After(0, 0).events.size(), 0u);  // how a reader learns where the log stands
  EXPECT_EQ(log.After(0, 0).last_sequence, 10u);
}

TEST(EventHubTest, EverySubscriberGetsEachEventInOrderAndTheOwnersHubLogsThem) {
  EventHub hub(16);
  std::vector<std::string> first, second;
  SubscriptionId second_id = 0;
  hub.Subscribe([&](const Event& event) { first.push_back(event.name); });
  second_id = hub.Subscribe([&](const Event& event) {
    second.push_back(event.name);
    hub.Unsubscribe(second_id);  // a callback may change the subscriptions (no lock held)
  });
  hub.Deliver({Numbered(1), Numbered(2)});
  hub.Deliver({Numbered(3)});
  EXPECT_EQ(first, (std::vector<std::string>{"flag1", "flag2", "flag3"}));
  EXPECT_EQ(second, (std::vector<std::string>{"flag1", "flag2"}));  // gone from the next batch
  auto logged = hub.After(0, 10);
  ASSERT_TRUE(logged.has_value());
  EXPECT_EQ(logged->last_sequence, 3u);
  EventHub observers(0);  // an observer keeps no log: it follows the owner's
  observers.Deliver({Numbered(1)});
  EXPECT_FALSE(observers.After(0, 10).has_value());
}

TEST(BringUpTrackerTest, ReportsTheRunningStageThenTheOutcome) {
  BringUpTracker tracker;
  EXPECT_FALSE(tracker.Now().running);
  tracker.Start("port.up", 3, nanoseconds(100));
  tracker.Stage("lasers", nanoseconds(100));
  tracker.Stage("datapath", nanoseconds(200));
  tracker.DataPaths(3, 1);
  PortsProgress now = tracker.Now();
  EXPECT_TRUE(now.running);
  EXPECT_EQ(now.stage, "datapath");
  EXPECT_EQ(now.stage_started, nanoseconds(200));
  EXPECT_EQ(now.data_paths_done, 1);
  // A bring-up inside it (recovery's) does not take over the report.
  tracker.Start("port.up", 1, nanoseconds(250));
  tracker.Stage("lasers", nanoseconds(250));
  tracker.Finish({}, nanoseconds(260));
  EXPECT_TRUE(tracker.Now().running);
  EXPECT_EQ(tracker.Now().stage, "datapath");
  PortBringUpReport report;
  report.outcomes = {{"eth0", Status::Ok()},
                     {"eth1", Status::Ok()},
                     {"eth2", Status(StatusCode::kTimeout, "link")}};
  tracker.Finish(report, nanoseconds(400));
  now = tracker.Now();
  EXPECT_FALSE(now.running);
  EXPECT_EQ(now.stage, "done");
  EXPECT_EQ(now.finished, nanoseconds(400));
  EXPECT_EQ(now.ports_ok, 2);
  EXPECT_EQ(now.ports_failed, 1);
  EXPECT_EQ(now.operation, "port.up");
  EXPECT_EQ(now.ports, 3);
}

TEST(PublishedJsonTest, FlagRecordsRoundTrip) {
  const std::vector<FlagRecord> records = {{.name = "temperature.high_alarm",
                                            .latched = true,
                                            .set_count = 3,
                                            .last_set = nanoseconds(5),
                                            .last_clear = std::nullopt},
                                           {.name = "lane1.rx_power.low_warning",
                                            .latched = false,
                                            .set_count = 1,
                                            .last_set = nanoseconds(7),
                                            .last_clear = nanoseconds(9)}};
  auto back = FlagRecordsFromJson(FlagRecordsJson(records));
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 2u);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ((*back)[i].name, records[i].name);
    EXPECT_EQ((*back)[i].latched, records[i].latched);
    EXPECT_EQ((*back)[i].set_count, records[i].set_count);
    EXPECT_EQ((*back)[i].last_set, records[i].last_set);
    EXPECT_EQ((*back)[i].last_clear, records[i].last_clear);
  }
}

TEST(PublishedJsonTest, LaserLanesRoundTripEveryPhase) {
  std::vector<LaserLaneReport> lanes;
  for (auto phase : {LaserLanePhase::kOff, LaserLanePhase::kChecking, LaserLanePhase::kVerifying,
                     LaserLanePhase::kOperating, LaserLanePhase::kFailed, LaserLanePhase::kRetired,
                     LaserLanePhase::kAbsent}) {
    LaserLaneReport lane;
    lane.status.lane = static_cast<int>(lanes.size()) + 1;
    lane.phase = phase;
    lane.requested = phase == LaserLanePhase::kOperating;
    lane.operating_power_mw = 18;
    lane.reason = phase == LaserLanePhase::kFailed ? "fibre cut: loss 40.0 dB" : "";
    lane.spare_for = phase == LaserLanePhase::kOperating ? 3 : 0;
    if (phase == LaserLanePhase::kFailed) {
      lane.last_check = FiberCheckResult{.passed = false,
                                         .laser_output_mw = 2,
                                         .worst_loss_db = 40,
                                         .threshold_db = 6,
                                         .detail = "oe0 lane 1",
                                         .time = nanoseconds(11)};
    }
    lanes.push_back(lane);
  }
  auto back = LaserLanesFromJson(LaserLanesJson(lanes));
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), lanes.size());
  for (size_t i = 0; i < lanes.size(); ++i) {
    EXPECT_EQ((*back)[i].status.lane, lanes[i].status.lane);
    EXPECT_EQ((*back)[i].phase, lanes[i].phase);
    EXPECT_EQ((*back)[i].requested, lanes[i].requested);
    EXPECT_EQ((*back)[i].reason, lanes[i].reason);
    EXPECT_EQ((*back)[i].spare_for, lanes[i].spare_for);
    EXPECT_EQ((*back)[i].last_check.has_value(), lanes[i].last_check.has_value());
  }
  EXPECT_EQ((*back)[4].last_check->worst_loss_db, 40);
  EXPECT_EQ((*back)[4].last_check->time, nanoseconds(11));
}

TEST(PublishedJsonTest, EventsAndProgressRoundTrip) {
  EventPage page;
  page.events = {Numbered(1), Event{.kind = EventKind::kLaserSpared,
                                    .source = "els0",
                                    .name = "lane9",
                                    .detail = "spare for lane 3",
                                    .time = nanoseconds(20),
                                    .ports = {"eth0", "eth32"},
                                    .outage = nanoseconds(300)}};
  page.last_sequence = 12;
  page.missed = 2;
  auto back = EventPageFromJson(EventPageJson(page));
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->events.size(), 2u);
  EXPECT_EQ(back->events[1].kind, EventKind::kLaserSpared);
  EXPECT_EQ(back->events[1].ports, page.events[1].ports);
  EXPECT_EQ(back->events[1].outage, nanoseconds(300));
  EXPECT_EQ(back->last_sequence, 12u);
  EXPECT_EQ(back->missed, 2u);

  PortsProgress progress{.running = true,
                         .operation = "port.down",
                         .ports = 4,
                         .stage = "serdes",
                         .started = nanoseconds(1),
                         .stage_started = nanoseconds(2),
                         .finished = {},
                         .data_paths = 4,
                         .data_paths_done = 2,
                         .ports_ok = 0,
                         .ports_failed = 0};
  auto progress_back = ProgressFromJson(ProgressJson(progress));
  ASSERT_TRUE(progress_back.has_value());
  EXPECT_EQ(progress_back->operation, "port.down");
  EXPECT_EQ(progress_back->stage, "serdes");
  EXPECT_EQ(progress_back->data_paths_done, 2);
  EXPECT_EQ(progress_back->stage_started, nanoseconds(2));
}

TEST(PublishedJsonTest, MalformedAnswersAreRefusedNotGuessed) {
  using nlohmann::json;
  EXPECT_FALSE(FlagRecordsFromJson(json::object()).has_value());
  EXPECT_FALSE(FlagRecordsFromJson(json::parse(R"([{"name": 3}])")).has_value());
  EXPECT_FALSE(LaserLanesFromJson(json::parse(
                                      R"([{"lane": 1, "phase": "glowing", "requested": true,
                        "operating_power_mw": 1, "reason": "", "spare_for": 0}])"))
                   .has_value());
  EXPECT_FALSE(EventFromJson(json::parse(R"({"kind": "flag-set"})")).has_value());
  EXPECT_FALSE(EventPageFromJson(json::parse(R"({"events": 1})")).has_value());
  EXPECT_FALSE(ProgressFromJson(json::parse(R"({"running": "yes"})")).has_value());
}

}  // namespace
}  // namespace cpo::hal
