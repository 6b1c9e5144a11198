#include "cpo/hal/vdm_types.h"

namespace cpo::hal {

std::string_view VdmTypeName(uint8_t type_id) {
  switch (type_id) {
    case 1:
      return "laser_age";
    case 4:
      return "laser_temperature";
    case 5:
      return "esnr_media";
    case 6:
      return "esnr_host";
    // Pre-FEC BER comes in media / host pairs: minimum, maximum, average, current value.
    case 9:
      return "pre_fec_ber_min_media";
    case 10:
      return "pre_fec_ber_min_host";
    case 11:
      return "pre_fec_ber_max_media";
    case 12:
      return "pre_fec_ber_max_host";
    case 13:
      return "pre_fec_ber_average_media";
    case 14:
      return "pre_fec_ber_average_host";
    case 15:
      return "pre_fec_ber_current_media";
    case 16:
      return "pre_fec_ber_current_host";
    case 84:
      return "els_input_power";
    default:
      return "type_other";
  }
}

std::string_view VdmTypeUnit(uint8_t type_id) {
  switch (type_id) {
    case 1:
      return "%";
    case 4:
      return "C";
    case 5:
    case 6:
      return "dB";
    case 9:
    case 10:
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
      return "ratio";
    case 84:
      return "dBm";
    default:
      return "";
  }
}

}  // namespace cpo::hal
