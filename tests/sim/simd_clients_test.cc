// cpo-simd's clients do not stall each other (issue 16, daemon robustness): one that never reads
// its replies, one that trickles a frame a byte at a time, a thousand that sit idle. Before the
// daemon's connections were non-blocking, the first stopped the whole daemon (a blocking send)
// and the second stalled every other client for a second per byte (a blocking recv).
//
// The bounds here are far above what the daemon takes (the figures go to the test log) and far
// below what the old daemon took, so a loaded machine does not fail them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "cpo/transport/sim_protocol.h"
#include "support/simd_daemon.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::Daemon;
namespace protocol = transport::sim_protocol;

const std::string kMini = CPO_SOURCE_DIR "/platform/boards/sim-mini/platform.yaml";
// What the old daemon stalled others for at the least (a blocked recv's timeout); the new one
// takes about a millisecond.
constexpr milliseconds kStallBound(500);

int Connect(const Daemon& daemon) {
  auto fd = protocol::ConnectUnixSocket(daemon.socket());
  EXPECT_TRUE(fd.ok()) << fd.status().ToString();
  if (!fd.ok()) return -1;
  // A daemon that stalls fails the test instead of hanging it.
  timeval timeout{5, 0};
  ::setsockopt(*fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return *fd;
}

// The wall time of one INFO request on `fd` (kStallBound * 20 when it failed).
milliseconds InfoTime(int fd) {
  const auto start = steady_clock::now();
  auto reply = protocol::Call(fd, protocol::Op::kInfo, {});
  EXPECT_TRUE(reply.ok()) << reply.status().ToString();
  if (!reply.ok()) return kStallBound * 20;
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

// True once the daemon has closed `fd` (a read finds the end, after any replies it had sent).
bool ClosedWithin(int fd, milliseconds bound) {
  const auto deadline = steady_clock::now() + bound;
  std::vector<uint8_t> sink(64 * 1024);
  while (steady_clock::now() < deadline) {
    const ssize_t got = ::recv(fd, sink.data(), sink.size(), MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      return true;
    }
    if (got < 0) std::this_thread::sleep_for(milliseconds(10));
  }
  return false;
}

TEST(SimdClientsTest, AClientThatNeverReadsItsRepliesIsDroppedAndStallsNobody) {
  const Daemon daemon(kMini, "never-reads");
  ASSERT_TRUE(daemon.Ready());
  const int good = Connect(daemon);
  const int flood = Connect(daemon);
  ASSERT_GE(good, 0);
  ASSERT_GE(flood, 0);
  // INFO requests as fast as the socket takes them, never reading one reply: the replies pile
  // up in the daemon beyond its bound (4 MiB, about 145,000 replies).
  std::atomic<bool> dropped{false};
  std::atomic<uint64_t> sent{0};
  std::thread flooder([&] {
    const std::vector<uint8_t> frame =
        protocol::EncodeFrame(static_cast<uint8_t>(protocol::Op::kInfo), {});
    std::vector<uint8_t> burst;
    for (int i = 0; i < 1000; ++i) burst.insert(burst.end(), frame.begin(), frame.end());
    const auto deadline = steady_clock::now() + std::chrono::seconds(60);
    size_t at = 0;
    while (steady_clock::now() < deadline) {
      const ssize_t put =
          ::send(flood, burst.data() + at, burst.size() - at, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (put > 0) {
        sent += static_cast<uint64_t>(put);
        at = (at + static_cast<size_t>(put)) % burst.size();
        continue;
      }
      if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        std::this_thread::sleep_for(milliseconds(1));
        continue;
      }
      dropped = true;  // EPIPE or ECONNRESET: the daemon closed it
      return;
    }
  });
  milliseconds worst(0);
  int calls = 0;
  while (!dropped && calls < 2000) {
    worst = std::max(worst, InfoTime(good));
    ++calls;
  }
  flooder.join();
  EXPECT_TRUE(dropped) << "the daemon still serves a client that never read " << sent / 5
                       << " replies";
  EXPECT_LT(worst, kStallBound) << "over " << calls << " requests";
  ::testing::Test::RecordProperty("worst_info_ms_beside_a_client_that_never_reads",
                                  static_cast<int>(worst.count()));
  std::printf(
      "beside a client that never reads: %d requests, worst %lld ms; it was dropped "
      "after %llu requests\n",
      calls, static_cast<long long>(worst.count()), static_cast<unsigned long long>(sent / 5));
  EXPECT_LT(InfoTime(good), kStallBound) << "the daemon serves on after dropping it";
  ::close(flood);
  ::close(good);
}

TEST(SimdClientsTest, AClientThatTricklesAFrameStallsNobodyAndIsDroppedAtTheDeadline) {
  const Daemon daemon(kMini, "trickle");
  ASSERT_TRUE(daemon.Ready());
  const int good = Connect(daemon);
  const int slow = Connect(daemon);
  ASSERT_GE(good, 0);
  ASSERT_GE(slow, 0);
  const std::vector<uint8_t> frame =
      protocol::EncodeFrame(static_cast<uint8_t>(protocol::Op::kInfo), {});
  // One byte every 400 ms: the frame's fifth byte would come after 1.6 s.
  milliseconds worst(0);
  int calls = 0;
  for (size_t i = 0; i + 1 < frame.size(); ++i) {
    ASSERT_EQ(::send(slow, &frame[i], 1, MSG_NOSIGNAL), 1);
    const auto next = steady_clock::now() + milliseconds(400);
    while (steady_clock::now() < next) {
      worst = std::max(worst, InfoTime(good));
      ++calls;
    }
  }
  EXPECT_LT(worst, kStallBound) << "over " << calls << " requests";
  std::printf("beside a client sending a byte every 400 ms: %d requests, worst %lld ms\n", calls,
              static_cast<long long>(worst.count()));
  // Its frame began 1.2 s ago and is still incomplete: the 2 s frame deadline drops it.
  EXPECT_TRUE(ClosedWithin(slow, milliseconds(5000)));
  EXPECT_LT(InfoTime(good), kStallBound);
  ::close(slow);
  ::close(good);
}

TEST(SimdClientsTest, AThousandIdleClientsStallNobodyAndEachIsStillServed) {
  rlimit files{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_max < 1100)
    GTEST_SKIP() << "the hard limit allows only " << files.rlim_max << " files";
  files.rlim_cur = std::max<rlim_t>(files.rlim_cur, 1100);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &files), 0);
  const Daemon daemon(kMini, "thousand");
  ASSERT_TRUE(daemon.Ready());
  std::vector<int> idle;
  for (int i = 0; i < 1000; ++i) {
    const int fd = Connect(daemon);
    ASSERT_GE(fd, 0) << "client " << i;
    idle.push_back(fd);
  }
  const int good = Connect(daemon);
  ASSERT_GE(good, 0);
  milliseconds worst(0);
  for (int i = 0; i < 50; ++i) worst = std::max(worst, InfoTime(good));
  EXPECT_LT(worst, kStallBound);
  std::printf("beside 1,000 idle clients: worst of 50 requests %lld ms\n",
              static_cast<long long>(worst.count()));
  // The idle ones were accepted and are served when they speak.
  for (int fd : {idle.front(), idle[500], idle.back()}) EXPECT_LT(InfoTime(fd), kStallBound);
  for (int fd : idle) ::close(fd);
  ::close(good);
}

}  // namespace
}  // namespace cpo::sim
