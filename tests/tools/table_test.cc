// cpoctl's table renderer: numbers (decimal and hex) right-aligned, text left-aligned.
#include "cpoctl/table.h"

#include <gtest/gtest.h>

namespace cpo::cpoctl {
namespace {

TEST(TableTest, HexCodesWithLettersAlignLikeOtherNumbers) {
  Table table({"ID", "NAME"});
  table.AddRow({"0x56", "a"});
  table.AddRow({"0x1C", "b"});
  table.AddRow({"0x100", "c"});
  EXPECT_EQ(table.Render(), "ID     NAME\n 0x56  a\n 0x1C  b\n0x100  c\n");
}

TEST(TableTest, TextStaysLeftAligned) {
  Table table({"STATE", "N"});
  table.AddRow({"Activated", "12"});
  table.AddRow({"x1", "3"});
  EXPECT_EQ(table.Render(), "STATE      N\nActivated  12\nx1          3\n");
}

}  // namespace
}  // namespace cpo::cpoctl
