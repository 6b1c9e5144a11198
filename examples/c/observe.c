/* observe: a second program on a switch another process owns, as an exporter or a health check
 * is. It opens the switch (an observer, since the NOS owns it), reads every engine, every
 * engine's lane monitors and every port, prints one line, then what the owner says of its port
 * bring-up, and exits. It changes nothing.
 *
 *   observe PLATFORM [SIM_SOCKET]
 */
#include <cpo/c/cpo_hal.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PLATFORM [SIM_SOCKET]\n", argv[0]);
    return 2;
  }
  cpo_device* device = NULL;
  cpo_status status = cpo_open(argv[1], argc > 2 ? argv[2] : NULL, &device);
  if (status != CPO_OK) {
    fprintf(stderr, "observe: open: %s: %s\n", cpo_strerror(status), cpo_last_error());
    return 1;
  }
  size_t engines_read = 0;
  for (size_t i = 0; i < cpo_engine_count(device); ++i) {
    cpo_engine_info info;
    cpo_lane_monitors lanes[64];
    size_t count = 0;
    if (cpo_engine_get(device, i, &info) == CPO_OK &&
        cpo_engine_lanes(device, i, lanes, 64, &count) == CPO_OK) {
      ++engines_read;
    }
  }
  size_t up = 0;
  const size_t ports = cpo_port_count(device);
  for (size_t i = 0; i < ports; ++i) {
    cpo_port_state state;
    if (cpo_port_get(device, i, &state) == CPO_OK && state.oper_up) ++up;
  }
  printf("observe: %s, %zu of %zu engines read, %zu of %zu ports up\n",
         cpo_is_owner(device) ? "owner" : "observer", engines_read, cpo_engine_count(device), up,
         ports);
  cpo_bringup_progress progress;
  if (cpo_bringup_progress_get(device, &progress) == CPO_OK && progress.operation[0] != '\0') {
    if (progress.running) {
      printf("observe: the owner's %s of %d ports is at %s\n", progress.operation, progress.ports,
             progress.stage);
    } else {
      printf("observe: the owner's last %s of %d ports: %d ok, %d failed\n", progress.operation,
             progress.ports, progress.ports_ok, progress.ports_failed);
    }
  }
  cpo_close(device);
  return 0;
}
