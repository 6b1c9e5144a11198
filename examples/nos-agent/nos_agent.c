#define _POSIX_C_SOURCE 200809L /* sigwait, pthread_sigmask */
/* nos-agent: the part of a network OS that owns the optics, in C over cpo-hal's C API. It opens
 * the platform, brings every port up, logs every event the HAL reports (laser safety actions,
 * flags, module states, link up/down) from the event monitor's thread, and on SIGTERM or SIGINT
 * stops the monitor, closes the device and exits 0. cpoctl can read the same switch meanwhile.
 *
 *   nos-agent PLATFORM [SIM_SOCKET] [--log syslog|stderr]
 */
#include <cpo/c/cpo_hal.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void log_event(const cpo_event* event, void* user_data) {
  (void)user_data;
  /* Called on the monitor's thread: one line per event, flushed so a supervisor sees it. */
  printf("nos-agent: event %.3f s %s %s %s %s\n", (double)event->time_ns / 1e9, event->kind,
         event->source, event->name, event->detail);
  fflush(stdout);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PLATFORM [SIM_SOCKET] [--log syslog|stderr]\n", argv[0]);
    return 2;
  }
  const char* socket_path = NULL;
  cpo_log_sink sink = CPO_LOG_STDERR;
  for (int i = 2; i < argc; ++i) {
    if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
      sink = strcmp(argv[++i], "syslog") == 0 ? CPO_LOG_SYSLOG : CPO_LOG_STDERR;
    } else {
      socket_path = argv[i];
    }
  }
  /* Block the stop signals before any thread starts, so only sigwait below sees them. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);

  cpo_log_configure(sink, "nos-agent");
  cpo_log_set_level(NULL, CPO_LOG_INFO);

  cpo_device* device = NULL;
  cpo_status status = cpo_open(argv[1], socket_path, &device);
  if (status != CPO_OK) {
    fprintf(stderr, "nos-agent: open: %s: %s\n", cpo_strerror(status), cpo_last_error());
    return 1;
  }
  uint64_t subscription = 0;
  if (cpo_subscribe(device, log_event, NULL, &subscription) != CPO_OK ||
      cpo_poll_events(device, NULL) != CPO_OK) { /* the first poll: where every link stands */
    fprintf(stderr, "nos-agent: events: %s\n", cpo_last_error());
    cpo_close(device);
    return 1;
  }
  const char* all[] = {"all"};
  status = cpo_ports_set_admin(device, all, 1, 1);
  if (status != CPO_OK) {
    /* Ports that could not come up stay down with their reason; the agent keeps running. */
    fprintf(stderr, "nos-agent: some ports did not come up: %s\n", cpo_last_error());
  }
  size_t up = 0;
  const size_t ports = cpo_port_count(device);
  for (size_t i = 0; i < ports; ++i) {
    cpo_port_state state;
    if (cpo_port_get(device, i, &state) == CPO_OK && state.oper_up) ++up;
  }
  printf("nos-agent: %zu of %zu ports up; monitoring (SIGTERM to stop)\n", up, ports);
  fflush(stdout);
  cpo_start_event_monitor(device, 100);

  int signal_number = 0;
  sigwait(&stop, &signal_number);
  printf("nos-agent: %s: stopping\n", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  cpo_stop_event_monitor(device);
  cpo_unsubscribe(device, subscription);
  cpo_close(device);
  printf("nos-agent: stopped\n");
  return 0;
}
