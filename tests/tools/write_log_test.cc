// The raw-write log: where it goes, what a line says, and refusing when it cannot be written.
#include "cpoctl/write_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cpo::cpoctl {
namespace {

TEST(WriteLogTest, TheOptionBeatsTheEnvironmentWhichBeatsTheDefault) {
  ::unsetenv("CPO_WRITE_LOG");
  EXPECT_EQ(ResolveWriteLogPath(""), "/var/log/cpo/cpoctl-writes.log");
  ::setenv("CPO_WRITE_LOG", "/tmp/env.log", 1);
  EXPECT_EQ(ResolveWriteLogPath(""), "/tmp/env.log");
  EXPECT_EQ(ResolveWriteLogPath("/tmp/option.log"), "/tmp/option.log");
  ::unsetenv("CPO_WRITE_LOG");
}

TEST(WriteLogTest, EachWriteAppendsOneLineWithWhoWhatOldAndNew) {
  const std::string path = testing::TempDir() + "cpo-write-log-" + std::to_string(::getpid()) +
                           "/writes.log";  // the directory is created too
  {
    auto log = WriteLog::Open(path);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_TRUE((*log)->Append("sw1", "oe0 page 10h bank 0 byte 130", "00", "ff").ok());
    ASSERT_TRUE((*log)->Append("sw1", "register 0x00048000", "0x00000000", "0x00000001").ok());
  }
  std::ifstream in(path);
  std::string first, second, extra;
  ASSERT_TRUE(std::getline(in, first));
  ASSERT_TRUE(std::getline(in, second));
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_NE(first.find(" uid=" + std::to_string(::getuid()) + " "), std::string::npos) << first;
  EXPECT_NE(first.find(" pid=" + std::to_string(::getpid()) + " "), std::string::npos) << first;
  EXPECT_NE(first.find("device=sw1 target=\"oe0 page 10h bank 0 byte 130\" old=00 new=ff"),
            std::string::npos)
      << first;
  EXPECT_EQ(first[4], '-');  // 2026-11-24T...Z first
  EXPECT_NE(second.find("old=0x00000000 new=0x00000001"), std::string::npos) << second;
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

TEST(WriteLogTest, AnUnwritableLogIsPermissionDeniedAndSaysHowToFixIt) {
  auto log = WriteLog::Open("/proc/cpo-no-such-dir/writes.log");
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(log.status().message().find("--write-log"), std::string::npos);
  EXPECT_NE(log.status().message().find("none was made"), std::string::npos);
}

}  // namespace
}  // namespace cpo::cpoctl
