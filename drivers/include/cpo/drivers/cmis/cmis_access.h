// CmisAccess: what every CMIS module driver does on its bus (engines and laser sources alike):
// BankSelect and PageSelect in one write, contiguous blocks in one transfer, and the identity
// every CMIS module carries on its lower page and page 00h.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "cpo/hal/optical_engine_types.h"
#include "cpo/hal/owner/role.h"
#include "cpo/platform/platform.h"
#include "cpo/transport/two_wire.h"

namespace cpo::drivers {

// Whether byte `offset` of `page` (offsets below 128: the lower page) is a latched flag that a
// read clears. Module types differ above the lower page.
using LatchedBytes = bool (*)(uint8_t page, uint8_t offset);

// The lower page's latched flags (bytes 8-13), common to every CMIS module.
bool IsLatchedLowerPageByte(uint8_t offset);

// Joint mode: a module reached only through another module's MCU (a laser source behind its
// engine), at that module's address, its page P relocated to page `page_base` + P and its lower
// page to page `page_base` + 0Fh, bytes 128-255 (docs/register-map.md, "Joint mode").
struct PageRelocation {
  uint8_t page_base = 0;  // 0: not relocated (the module answers at its own address)
  bool relocated() const { return page_base != 0; }
};
// The page numbers of the relocation are the platform's (see platform.h, "Joint mode").
inline constexpr uint8_t kRelocatedLowerPage = platform::kJointLowerPageSlot;
inline constexpr int kRelocatedPageSpan = platform::kJointPageSpan;

class CmisAccess {
 public:
  // An observer never reads a byte `latched` names: such bytes belong to the switch's owner.
  CmisAccess(std::shared_ptr<transport::TwoWire> bus, uint8_t address7,
             LatchedBytes latched = nullptr, hal::ProcessRole role = hal::ProcessRole::kOwner,
             PageRelocation relocation = {})
      : bus_(std::move(bus)),
        address7_(address7),
        latched_(latched),
        role_(role),
        relocation_(relocation) {}

  const PageRelocation& relocation() const { return relocation_; }

  bool observer() const { return role_ == hal::ProcessRole::kObserver; }
  bool IsLatched(uint8_t page, uint8_t offset) const;
  // A block of `page` (selected by the caller) from `offset`: one transfer for the owner. An
  // observer reads around the latched bytes, which come back as 0.
  Status ReadBlockOf(uint8_t page, uint8_t offset, std::span<uint8_t> out);

  // Holds the bus against every other user (see TwoWire::HoldBus) while the result lives: a
  // driver holds it across a page select and the accesses to that page.
  std::unique_ptr<transport::TwoWire::Hold> Hold() { return bus_->HoldBus(); }
  // BankSelect and PageSelect in one write transaction (relocated: the module's page in the
  // relaying module's page space).
  Status SelectPage(uint8_t bank, uint8_t page);
  // A contiguous block from `offset` in one transfer (relocated: lower-page bytes through their
  // page, selected for them and the caller's page selected again before its next upper access).
  Status ReadBlock(uint8_t offset, std::span<uint8_t> out);
  // An observer's writes (page selects aside) are refused: kFailedPrecondition.
  Status WriteByte(uint8_t offset, uint8_t value);
  // `bytes` from `offset` in one transaction.
  Status WriteBlock(uint8_t offset, std::span<const uint8_t> bytes);
  // Lower page 0..40 and page 00h 128..222 (vendor fields through the checksum), one block each.
  Result<hal::EngineIdentity> ReadIdentity();
  // Global controls (byte 26): request low power or leave it; software decides from then on.
  Status SetLowPower(bool low_power);
  // The 256-byte window with `page` of `bank` selected: lower page, then the upper page (an
  // observer's latched bytes read as 0).
  Result<std::array<uint8_t, 256>> ReadWindow(uint8_t bank, uint8_t page);
  // Raw read and write of bytes at offset of the 256-byte window with (bank, page) selected, each
  // as one held sequence. Only the bytes asked for are read (no other clear-on-read byte); an
  // observer asking for a latched byte gets kFailedPrecondition saying whose it is.
  Status ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset, std::span<uint8_t> out);
  Status WriteWindow(uint8_t bank, uint8_t page, uint8_t offset, std::span<const uint8_t> bytes);
  // Module state and IntL (byte 3).
  Result<hal::ModuleStatus> ReadModuleStatus();
  // Bytes 3..41 in one block: state, latched module flags (which the read clears), monitors,
  // controls, masks, fault cause. An observer leaves the flags unread (flags_read false).
  Result<hal::ModuleMonitors> ReadModuleMonitors();

 private:
  // One transfer of bytes at window `offset`, in relocated mode on the right page.
  Status Transfer(uint8_t offset, std::span<const uint8_t> write, std::span<uint8_t> read);
  Status SelectRaw(uint8_t bank, uint8_t page);

  std::shared_ptr<transport::TwoWire> bus_;
  uint8_t address7_;
  LatchedBytes latched_;
  hal::ProcessRole role_;
  PageRelocation relocation_;
  // Relocated mode, under the bus hold: the page the caller selected, and whether a lower-page
  // access has since selected the lower page's slot instead.
  uint8_t selected_bank_ = 0;
  uint8_t selected_page_ = 0;
  bool lower_page_selected_ = false;
};

// Big-endian u16 at `at`.
uint16_t CmisU16(std::span<const uint8_t> bytes, size_t at);
// CMIS F16: mantissa bits 10-0, exponent bits 15-11, value = mantissa * 10^(exponent - 24).
double CmisF16(uint16_t raw);
// A threshold set of page 02h (or 1Ah) at `at`: high alarm, low alarm, high warning, low warning,
// big-endian u16 (s16 when `is_signed`) each, times `unit`.
hal::Thresholds CmisThresholdsAt(std::span<const uint8_t> bytes, size_t at, double unit,
                                 bool is_signed = false);

}  // namespace cpo::drivers
