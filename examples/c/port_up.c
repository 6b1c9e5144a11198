/* A minimal C client of cpo-hal, written from cpo/c/cpo_hal.h alone: opens a switch, brings one
 * port up, and waits for its link-up event.
 *
 *   cc port_up.c $(pkg-config --cflags --libs cpohal) -o port_up
 *   ./port_up platform.yaml eth28 [cpo-simd socket]
 */
#include <cpo/c/cpo_hal.h>
#include <stdio.h>
#include <string.h>

struct seen {
  const char* port;
  int link_up;
};

static void on_event(const cpo_event* event, void* user_data) {
  struct seen* seen = (struct seen*)user_data;
  printf("event %s %s %s\n", event->kind, event->source, event->detail);
  if (strcmp(event->kind, "port-link-up") == 0 && strcmp(event->source, seen->port) == 0) {
    seen->link_up = 1;
  }
}

static int fail(const char* what, cpo_status status) {
  fprintf(stderr, "%s: %s: %s\n", what, cpo_strerror(status), cpo_last_error());
  return 1;
}

static int port_oper_up(cpo_device* device, const char* name) {
  for (size_t i = 0; i < cpo_port_count(device); ++i) {
    cpo_port_state state;
    if (cpo_port_get(device, i, &state) == CPO_OK && strcmp(state.name, name) == 0) {
      return state.oper_up;
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s PLATFORM PORT [SIM_SOCKET]\n", argv[0]);
    return 2;
  }
  if (cpo_version_number() / 10000 != CPO_HAL_VERSION_MAJOR) {
    fprintf(stderr, "libcpohal %s does not match the header's major version\n", cpo_version());
    return 1;
  }
  cpo_device* device = NULL;
  cpo_status status = cpo_open(argv[1], argc > 3 ? argv[3] : NULL, &device);
  if (status != CPO_OK) return fail("open", status);
  printf("cpo-hal %s: %zu engines, %zu laser sources, %zu ports\n", cpo_version(),
         cpo_engine_count(device), cpo_laser_count(device), cpo_port_count(device));

  struct seen seen = {argv[2], 0};
  uint64_t subscription = 0;
  status = cpo_subscribe(device, on_event, &seen, &subscription);
  if (status == CPO_OK) status = cpo_poll_events(device, NULL); /* where every link stands */
  if (status != CPO_OK) return fail("events", status);
  /* An earlier owner may have left the port up: the open adopted it, so no link-up event
   * comes. */
  if (port_oper_up(device, argv[2])) {
    printf("%s was up already (adopted at open)\n", argv[2]);
    seen.link_up = 1;
  }

  const char* ports[] = {argv[2]};
  status = cpo_ports_set_admin(device, ports, 1, 1);
  if (status != CPO_OK) return fail("port up", status);
  for (int poll = 0; poll < 100 && !seen.link_up; ++poll) {
    status = cpo_poll_events(device, NULL);
    if (status != CPO_OK) return fail("poll", status);
  }
  cpo_unsubscribe(device, subscription);
  cpo_close(device);
  if (!seen.link_up) {
    fprintf(stderr, "no link-up event for %s\n", argv[2]);
    return 1;
  }
  printf("%s: link up\n", argv[2]);
  return 0;
}
