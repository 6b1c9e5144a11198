// Prometheus text exposition as cpoctl telemetry writes it.
#include "cpoctl/prometheus_text.h"

#include <gtest/gtest.h>

namespace cpo::cpoctl {
namespace {

TEST(PrometheusTextTest, FamiliesCarryHelpAndTypeThenTheirSamplesInDeclarationOrder) {
  PrometheusText text;
  text.Gauge("cpo_b_volts", "B");
  text.Gauge("cpo_a_watts", "A");
  text.Gauge("cpo_unused", "never sampled");
  text.Sample("cpo_a_watts", {{"device", "sw1"}, {"lane", "1"}}, 0.00125);
  text.Sample("cpo_b_volts", {}, 3.3);
  text.Sample("cpo_a_watts", {{"device", "sw1"}, {"lane", "2"}}, 0);
  EXPECT_EQ(text.Render(),
            "# HELP cpo_b_volts B\n# TYPE cpo_b_volts gauge\ncpo_b_volts 3.3\n"
            "# HELP cpo_a_watts A\n# TYPE cpo_a_watts gauge\n"
            "cpo_a_watts{device=\"sw1\",lane=\"1\"} 0.00125\n"
            "cpo_a_watts{device=\"sw1\",lane=\"2\"} 0\n");
}

TEST(PrometheusTextTest, LabelValuesAndHelpAreEscaped) {
  PrometheusText text;
  text.Gauge("cpo_x", "line one\nback\\slash");
  text.Sample("cpo_x", {{"reason", "say \"hi\"\\\n"}}, 1);
  EXPECT_EQ(text.Render(),
            "# HELP cpo_x line one\\nback\\\\slash\n# TYPE cpo_x gauge\n"
            "cpo_x{reason=\"say \\\"hi\\\"\\\\\\n\"} 1\n");
}

TEST(PrometheusTextTest, SpecialValuesUseTheFormatsSpelling) {
  PrometheusText text;
  text.Gauge("cpo_y", "y");
  text.Sample("cpo_y", {{"k", "nan"}}, std::numeric_limits<double>::quiet_NaN());
  text.Sample("cpo_y", {{"k", "inf"}}, -std::numeric_limits<double>::infinity());
  EXPECT_NE(text.Render().find("cpo_y{k=\"nan\"} NaN\ncpo_y{k=\"inf\"} -Inf\n"), std::string::npos);
}

TEST(PrometheusTextTest, CountersAreTypedAsSuchAndEndInTotal) {
  PrometheusText text;
  text.Counter("cpo_flag_sets_total", "sets");
  text.Sample("cpo_flag_sets_total", {{"source", "els0"}}, 3);
  EXPECT_EQ(text.Render(),
            "# HELP cpo_flag_sets_total sets\n# TYPE cpo_flag_sets_total counter\n"
            "cpo_flag_sets_total{source=\"els0\"} 3\n");
  EXPECT_THROW(text.Counter("cpo_flag_sets", "no _total"), std::logic_error);
}

TEST(PrometheusTextTest, AnUndeclaredMetricIsAProgrammingError) {
  PrometheusText text;
  EXPECT_THROW(text.Sample("cpo_missing", {}, 1), std::logic_error);
}

}  // namespace
}  // namespace cpo::cpoctl
