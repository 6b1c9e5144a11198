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
    case 9:
      return "pre_fec_ber_min";
    case 10:
      return "pre_fec_ber_max";
    case 11:
      return "pre_fec_ber_average";
    case 12:
      return "pre_fec_ber_current";
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
      return "dB";
    case 9:
    case 10:
    case 11:
    case 12:
      return "ratio";
    case 84:
      return "dBm";
    default:
      return "";
  }
}

}  // namespace cpo::hal
