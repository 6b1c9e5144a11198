#include "cpo/transport/mapped_register_io.h"

namespace cpo::transport {

MappedRegisterIo::MappedRegisterIo(volatile void* base, uint64_t size_bytes)
    : RegisterIo(size_bytes), words_(static_cast<volatile uint32_t*>(base)) {}

Result<uint32_t> MappedRegisterIo::DoRead32(uint64_t offset) { return words_[offset / 4]; }

Status MappedRegisterIo::DoWrite32(uint64_t offset, uint32_t value) {
  words_[offset / 4] = value;
  return Status::Ok();
}

}  // namespace cpo::transport
