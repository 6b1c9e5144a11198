// SysfsBarIo: a PCI BAR mapped from sysfs `resourceN` (needs root or udev-granted access).
#pragma once

#include <memory>
#include <string>

#include "cpo/transport/mapped_register_io.h"

namespace cpo::transport {

class SysfsBarIo : public MappedRegisterIo {
 public:
  // Maps <sysfs_root>/bus/pci/devices/<address>/resource<bar> read-write, shared.
  static Result<std::unique_ptr<SysfsBarIo>> Open(const std::string& sysfs_root,
                                                  const std::string& address, int bar);
  ~SysfsBarIo() override;

  const std::string& path() const { return path_; }

 private:
  SysfsBarIo(void* mapping, uint64_t size_bytes, std::string path);
  void* mapping_;
  std::string path_;
};

}  // namespace cpo::transport
