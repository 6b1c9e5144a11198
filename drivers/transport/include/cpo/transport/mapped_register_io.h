// MappedRegisterIo: RegisterIo over memory already mapped into this process (an mmap'ed BAR).
#pragma once

#include <cstdint>

#include "cpo/transport/register_io.h"

namespace cpo::transport {

class MappedRegisterIo : public RegisterIo {
 public:
  // base must stay mapped for the object's life; size_bytes is the mapping's length.
  MappedRegisterIo(volatile void* base, uint64_t size_bytes);

 protected:
  Result<uint32_t> DoRead32(uint64_t offset) override;
  Status DoWrite32(uint64_t offset, uint32_t value) override;

 private:
  volatile uint32_t* words_;
};

}  // namespace cpo::transport
