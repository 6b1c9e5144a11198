// VfioBarIo: a PCI BAR mapped through VFIO (/dev/vfio): the way to reach the management block
// without root and under kernel lockdown (sysfs resource files refuse mmap there). The device
// must be bound to vfio-pci; udev/60-cpo.rules gives group `cpo` its /dev/vfio/N group node.
// VFIO lets one process at a time hold an IOMMU group: a second one gets kUnavailable ("busy")
// and can share the switch through sysfs access instead (transport.bar_access: sysfs).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cpo/status.h"
#include "cpo/transport/mapped_register_io.h"

namespace cpo::transport {

// The system calls VfioBarIo makes, so tests can stand in for the kernel.
class VfioSyscalls {
 public:
  virtual ~VfioSyscalls() = default;
  virtual int Open(const std::string& path) = 0;  // fd, or -errno
  virtual int Close(int fd) = 0;
  // ioctl with a pointer argument, or with an integer one (IoctlValue); result, or -errno.
  virtual int Ioctl(int fd, uint64_t request, void* argument) = 0;
  virtual int IoctlValue(int fd, uint64_t request, uint64_t value) = 0;
  // A shared read-write mapping; nullptr on failure.
  virtual void* Map(int fd, uint64_t offset, uint64_t size) = 0;
  virtual void Unmap(void* address, uint64_t size) = 0;
  // The target of a symbolic link; kNotFound when there is none.
  virtual Result<std::string> ReadLink(const std::string& path) = 0;
};

std::shared_ptr<VfioSyscalls> MakeVfioSyscalls();

class VfioBarIo : public MappedRegisterIo {
 public:
  // BAR `bar` of the PCI device at `address`: finds its IOMMU group under sysfs_root, opens
  // <dev_root>/vfio/vfio and <dev_root>/vfio/<group>, attaches the group to a type-1 IOMMU
  // container, takes the device and maps the BAR's region. Errors say which step failed and
  // how to fix it (kPermissionDenied: udev rules / group cpo; kUnavailable: not bound to
  // vfio-pci, no IOMMU, group busy; kFailedPrecondition: group not viable; kNotSupported: VFIO
  // API or a BAR that cannot be mapped).
  static Result<std::unique_ptr<VfioBarIo>> Open(const std::string& sysfs_root,
                                                 const std::string& address, int bar,
                                                 std::shared_ptr<VfioSyscalls> syscalls,
                                                 const std::string& dev_root = "/dev");
  ~VfioBarIo() override;
  VfioBarIo(const VfioBarIo&) = delete;
  VfioBarIo& operator=(const VfioBarIo&) = delete;

 private:
  struct Handles {
    int container = -1;
    int group = -1;
    int device = -1;
    void* mapping = nullptr;
    uint64_t size = 0;
  };
  VfioBarIo(std::shared_ptr<VfioSyscalls> syscalls, Handles handles);
  static void Release(VfioSyscalls& syscalls, Handles& handles);
  std::shared_ptr<VfioSyscalls> syscalls_;
  Handles handles_;
};

}  // namespace cpo::transport
