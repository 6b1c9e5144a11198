// Roles of the processes sharing one switch (docs/architecture.md, "One owner, many observers").
// The owner alone changes device state and reads clear-on-read bytes; an observer changes
// nothing and reads only bytes that do not clear.
#pragma once

#include <string_view>

#include "cpo/status.h"

namespace cpo::hal {

enum class ProcessRole : unsigned char {
  kOwner,     // holds the switch's owner lock: writes, supervises, reads latched flags
  kObserver,  // changes nothing; latched flags, lane enables and setpoints are the owner's
};
std::string_view ProcessRoleName(ProcessRole role);  // "owner", "observer"
// OK for the owner; for an observer, kFailedPrecondition saying how to get the change made.
Status CheckMayWrite(ProcessRole role);

// What a process asks for when it opens the switch.
enum class RoleRequest : unsigned char {
  kAuto,      // the owner if no other process owns the switch, else an observer
  kOwner,     // the owner, or fail naming the process that owns it
  kObserver,  // an observer, even when nobody owns the switch
};

}  // namespace cpo::hal
