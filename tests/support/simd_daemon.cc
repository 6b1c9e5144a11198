#include "support/simd_daemon.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace cpo::testing {

Daemon::Daemon(const std::string& platform, const std::string& tag, double time_scale)
    : socket_("/tmp/cpo-simd-test-" + std::to_string(::getpid()) + "-" + tag + ".sock") {
  pid_ = ::fork();
  if (pid_ == 0) {
    std::string scale = std::to_string(time_scale);
    ::execl(CPO_SIMD_PATH, CPO_SIMD_PATH, "--platform", platform.c_str(), "--socket",
            socket_.c_str(), "--time-scale", scale.c_str(), "--log-level", "warn", nullptr);
    ::_exit(127);
  }
  for (int i = 0; i < 200 && !Ready(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

Daemon::~Daemon() {
  if (pid_ > 0) Stop();
  // The bus lock files the clients created next to the socket.
  std::error_code ignored;
  const std::filesystem::path socket(socket_);
  for (const auto& entry : std::filesystem::directory_iterator(socket.parent_path(), ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(socket.filename().string() + ".", 0) == 0 && name.ends_with(".lock")) {
      std::filesystem::remove(entry.path(), ignored);
    }
  }
}

bool Daemon::Ready() const {
  struct stat info {};
  return ::stat(socket_.c_str(), &info) == 0 && S_ISSOCK(info.st_mode);
}

int Daemon::Stop() {
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace cpo::testing
