/* cpo-hal's stable C API: open a co-packaged-optics switch from its platform file, enumerate and
 * control its optical engines, external laser sources and ports, read telemetry, and receive
 * events. Link with `pkg-config --cflags --libs cpohal` (or CMake: find_package(cpohal),
 * target cpo::cpohal).
 *
 * Conventions
 * - Every function returning cpo_status returns CPO_OK or an error code; cpo_strerror() names
 *   the code and cpo_last_error() gives this thread's message for its last failed call (what
 *   went wrong, where, how to fix it).
 * - Handles are opaque. Structs are caller-owned; text fields are NUL-terminated and truncated
 *   to their size.
 * - Thread-safe: any thread may call any function on a device, except cpo_close, which must be
 *   the last call on it.
 * - Event callbacks run on the thread that polls: the caller of cpo_poll_events, or the
 *   monitor thread cpo_start_event_monitor starts. They may call back into the device, but not
 *   cpo_close or cpo_stop_event_monitor.
 * - Indices are 0-based in platform-file order; lanes are 1-based as in CMIS.
 */
#ifndef CPO_C_CPO_HAL_H_
#define CPO_C_CPO_HAL_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPO_HAL_VERSION_MAJOR 0
#define CPO_HAL_VERSION_MINOR 5
#define CPO_HAL_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, as cpo_version_number() returns at run time. */
#define CPO_HAL_VERSION_NUMBER \
  (CPO_HAL_VERSION_MAJOR * 10000 + CPO_HAL_VERSION_MINOR * 100 + CPO_HAL_VERSION_PATCH)

#if defined(__GNUC__)
#define CPO_API __attribute__((visibility("default")))
#else
#define CPO_API
#endif

/* Enums are int-sized; in C++ they are declared `: int` so that any value a C caller passes is
 * well defined to check. */
#ifdef __cplusplus
#define CPO_ENUM(name) enum name : int
#else
#define CPO_ENUM(name) enum name
#endif

typedef CPO_ENUM(cpo_status){
    CPO_OK = 0,
    CPO_E_INVALID_ARGUMENT = 1,    /* malformed argument (null pointer, bad lane) */
    CPO_E_OUT_OF_RANGE = 2,        /* index, lane or value outside what the device has */
    CPO_E_NOT_FOUND = 3,           /* no such engine, laser source or port */
    CPO_E_FAILED_PRECONDITION = 4, /* the device's state does not allow it (e.g. a port's fibre
                                      check failed) */
    CPO_E_UNAVAILABLE = 5,         /* device or simulator unreachable */
    CPO_E_PERMISSION_DENIED = 6,   /* the OS refused access (device nodes) */
    CPO_E_TIMEOUT = 7,             /* not done within its advertised bound */
    CPO_E_NACK = 8,                /* an I2C target did not acknowledge */
    CPO_E_DATA_LOSS = 9,           /* protocol or framing error */
    CPO_E_CONFIG = 10,             /* the platform file is invalid */
    CPO_E_NOT_SUPPORTED = 11,      /* the device does not offer it */
    CPO_E_INTERNAL = 12,           /* a bug in cpo-hal */
    CPO_E_BUFFER_TOO_SMALL = 13    /* the caller's array is too short; *count says how many */
} cpo_status;

typedef struct cpo_device cpo_device;

/* "0.5.0" and 500: the library actually loaded (compare with the macros above). */
CPO_API const char* cpo_version(void);
CPO_API unsigned cpo_version_number(void);
/* "NOT_FOUND", ...: a static string for any value. */
CPO_API const char* cpo_strerror(cpo_status status);
/* This thread's message for its last failed call ("" if none). Valid until its next call. */
CPO_API const char* cpo_last_error(void);

/* What an open does with the laser lanes it finds (docs/architecture.md, "One owner, many
 * observers"). Only one process owns a switch: the first to open it with ADOPT or ALL_OFF; any
 * later open observes (changes nothing, reads no clear-on-read byte) whatever it asked for. */
typedef CPO_ENUM(cpo_start_policy){
    CPO_START_ADOPT = 0,   /* owner: keep the lanes it verifies lit (a restart drops no port) */
    CPO_START_ALL_OFF = 1, /* owner: every lane dark, checked again when ports come up */
    CPO_START_OBSERVE = 2, /* observer, even when nobody owns the switch */
} cpo_start_policy;

/* Opens the switch a platform file describes. sim_socket: a cpo-simd socket to use instead of
 * the platform's transport (NULL: the platform's own). The same as cpo_open_with_policy with
 * CPO_START_ADOPT. */
CPO_API cpo_status cpo_open(const char* platform_path, const char* sim_socket, cpo_device** device);
CPO_API cpo_status cpo_open_with_policy(const char* platform_path, const char* sim_socket,
                                        cpo_start_policy policy, cpo_device** device);
/* 1 when this open owns the switch, 0 when it observes (or device is NULL). */
CPO_API int cpo_is_owner(const cpo_device* device);
CPO_API void cpo_close(cpo_device* device);

/* --- Enumeration. */
CPO_API size_t cpo_engine_count(const cpo_device* device);
CPO_API size_t cpo_laser_count(const cpo_device* device);
/* Logical ports as the breakouts make them now. */
CPO_API size_t cpo_port_count(const cpo_device* device);

/* --- Optical engines. */
typedef CPO_ENUM(cpo_module_state){
    CPO_MODULE_UNKNOWN = 0, CPO_MODULE_LOW_POWER = 1,     CPO_MODULE_POWERING_UP = 2,
    CPO_MODULE_READY = 3,   CPO_MODULE_POWERING_DOWN = 4, CPO_MODULE_FAULT = 5} cpo_module_state;

typedef struct cpo_engine_info {
  char name[32];
  int lanes;
  cpo_module_state state;
  double temperature_c;
  double vcc_v;
  int interrupt; /* IntL asserted */
} cpo_engine_info;

typedef struct cpo_lane_monitors {
  int lane;
  double tx_power_mw;
  double tx_bias_ma;
  double rx_power_mw;
} cpo_lane_monitors;

CPO_API cpo_status cpo_engine_get(cpo_device* device, size_t index, cpo_engine_info* info);
/* low_power 1: to LowPwr; 0: power up (returns at once; the state follows). */
CPO_API cpo_status cpo_engine_set_low_power(cpo_device* device, size_t index, int low_power);
/* Every lane's monitors into lanes[0..capacity); *count gets the engine's lane count. A monitor
 * the module does not advertise (page 01h byte 160) reads NaN: not supported by this module. */
CPO_API cpo_status cpo_engine_lanes(cpo_device* device, size_t index, cpo_lane_monitors* lanes,
                                    size_t capacity, size_t* count);

/* --- External laser sources. */
typedef struct cpo_laser_lane {
  int lane;
  int on;        /* lit and at power */
  int operating; /* fibre-checked and supervised by the HAL's laser-safety core */
  int fault;
  double power_mw;
  double bias_ma;
  char phase[16];   /* "off", "checking", "verifying", "operating", "failed", ... */
  char reason[160]; /* why the safety core turned it off, if it did */
} cpo_laser_lane;

/* A laser source's module: state, temperature and supply (its flags go to the safety core). */
typedef struct cpo_laser_info {
  char name[32];
  int lanes;
  cpo_module_state state;
  double temperature_c;
  double vcc_v;
} cpo_laser_info;
/* A lane's electrical monitors: its forward voltage (0 while dark) and its bank's supply current
 * (Icc, OIF-ELSFP 1Bh:232-241). */
typedef struct cpo_laser_lane_electrical {
  int lane;
  double voltage_v;
  double bank_icc_ma;
} cpo_laser_lane_electrical;

CPO_API cpo_status cpo_laser_name(const cpo_device* device, size_t index, char* name, size_t size);
CPO_API cpo_status cpo_laser_get(cpo_device* device, size_t index, cpo_laser_info* info);
/* Every lane's electrical monitors into lanes[0..capacity); *count gets the lane count. */
CPO_API cpo_status cpo_laser_lanes_electrical(cpo_device* device, size_t index,
                                              cpo_laser_lane_electrical* lanes, size_t capacity,
                                              size_t* count);
CPO_API cpo_status cpo_laser_lanes(cpo_device* device, size_t index, cpo_laser_lane* lanes,
                                   size_t capacity, size_t* count);
/* Lights a lane through the fibre check (waits) or turns it off. */
CPO_API cpo_status cpo_laser_set_enabled(cpo_device* device, size_t index, int lane, int enabled);

/* A laser source's saved sets (OIF-ELSFP 1Ah:184): the control set (mode, setpoints, fibre map)
 * or the mask set (lane and global flag masks). slot: 1 or 2; a restore also takes 0, the factory
 * copy. Lane enables and fibre checks are never part of a set; a lit lane restored to a new fibre
 * is turned off and checked again. CPO_E_FAILED_PRECONDITION for a slot nothing was saved in. */
typedef CPO_ENUM(cpo_laser_set){
    CPO_LASER_SET_CONTROLS = 0,
    CPO_LASER_SET_MASKS = 1,
} cpo_laser_set;
CPO_API cpo_status cpo_laser_save_set(cpo_device* device, size_t index, cpo_laser_set set,
                                      int slot);
CPO_API cpo_status cpo_laser_restore_set(cpo_device* device, size_t index, cpo_laser_set set,
                                         int slot);

/* Alarm and warning thresholds, in the unit of the field that holds them. */
typedef struct cpo_thresholds {
  double high_alarm;
  double low_alarm;
  double high_warning;
  double low_warning;
} cpo_thresholds;

/* What a laser source advertises (OIF-ELSFP page 1Ah): its control mode and limits, the power a
 * fibre check lights a lane at, and the thresholds its lane flags compare against. */
typedef struct cpo_laser_limits {
  int constant_power; /* 1: power setpoints (APC), 0: bias setpoints (ACC) */
  double min_power_mw;
  double max_power_mw;
  double min_bias_ma;
  double max_bias_ma;
  double fiber_check_setpoint_mw;
  cpo_thresholds bias_ma;
  cpo_thresholds power_mw;
  cpo_thresholds temperature_c; /* module temperature (page 02h) */
  cpo_thresholds vcc_v;         /* module supply (page 02h) */
} cpo_laser_limits;
CPO_API cpo_status cpo_laser_limits_get(cpo_device* device, size_t index, cpo_laser_limits* limits);

/* --- Flags: what the HAL's flag history has seen of a module's latched flags. */
typedef struct cpo_flag_record {
  char name[64];      /* "lane3.bias.high_alarm", "temperature.high_warning", "lane9.rx_los", ... */
  int latched;        /* as of the latest read */
  uint64_t set_count; /* reads that found it newly set */
  double last_set_s;  /* device time of the latest such read, seconds; -1: never */
  double last_clear_s; /* device time it was first seen clear again; -1: never */
} cpo_flag_record;
/* The module's flags into records[0..capacity); *count gets how many there are, so a call with
 * capacity 0 sizes the array (CPO_E_BUFFER_TOO_SMALL when it holds fewer). The call reads the
 * module first (its monitors, and so its latched flags, which the history keeps for every other
 * reader); beside an owner it returns the owner's history and reads no flag. */
CPO_API cpo_status cpo_laser_flags(cpo_device* device, size_t index, cpo_flag_record* records,
                                   size_t capacity, size_t* count);
CPO_API cpo_status cpo_engine_flags(cpo_device* device, size_t index, cpo_flag_record* records,
                                    size_t capacity, size_t* count);

/* --- Ports. */
typedef struct cpo_port_state {
  char name[32];
  int speed_gbps;
  int admin_up;
  int oper_up;
  char reason[256]; /* the first stage that is down and why ("" when up) */
} cpo_port_state;

CPO_API cpo_status cpo_port_get(cpo_device* device, size_t index, cpo_port_state* state);
/* Admin up (lasers, SerDes, data paths, link; all at once) or down of the named ports ("eth3",
 * "eth3/2", or "all"). Fails with the first port that did not make it; cpo_last_error names
 * every one. */
CPO_API cpo_status cpo_ports_set_admin(cpo_device* device, const char* const* names, size_t count,
                                       int up);

/* --- Telemetry: one sweep of every engine. */
CPO_API cpo_status cpo_telemetry(cpo_device* device, cpo_engine_info* engines, size_t capacity,
                                 size_t* count);

/* --- Events. */
typedef struct cpo_event {
  char kind[32];   /* "flag-set", "module-state", "laser-failed", "port-link-up", ... */
  char source[64]; /* engine, laser source or port */
  char name[96];   /* "temperature.high_alarm", "lane3.rx_power.low_warning", ... */
  char detail[256];
  int64_t time_ns; /* device time */
} cpo_event;

typedef void (*cpo_event_callback)(const cpo_event* event, void* user_data);

CPO_API cpo_status cpo_subscribe(cpo_device* device, cpo_event_callback callback, void* user_data,
                                 uint64_t* subscription);
CPO_API cpo_status cpo_unsubscribe(cpo_device* device, uint64_t subscription);
/* One sweep on the calling thread: laser supervision, engine states and flags, port links;
 * callbacks run before it returns. *count (may be NULL) gets the number of events. */
CPO_API cpo_status cpo_poll_events(cpo_device* device, size_t* count);
/* Beside an owner an observer reads nothing here: it delivers the events the owner logged since
 * its last call (from when it opened), so an observer's loop streams the owner's events. */
/* A monitor thread polling every period_ms; callbacks run on it. */
CPO_API cpo_status cpo_start_event_monitor(cpo_device* device, unsigned period_ms);
CPO_API cpo_status cpo_stop_event_monitor(cpo_device* device);

/* --- The owner's port bring-up: the one running now, else the last one finished. An observer
 * gets the owner's; CPO_E_UNAVAILABLE when it observes a switch nobody owns. */
typedef struct cpo_bringup_progress {
  int running;        /* 1 while a bring-up or bring-down runs */
  char operation[16]; /* "port.up", "port.down"; "" before the first */
  int ports;
  char stage[16]; /* "lasers", "serdes", "datapath", "link"; "done" after */
  int data_paths; /* of the "datapath" stage: how many, and how many are done */
  int data_paths_done;
  int ports_ok; /* of the finished operation */
  int ports_failed;
  int64_t started_ns; /* device time */
  int64_t stage_started_ns;
  int64_t finished_ns; /* 0 while running */
} cpo_bringup_progress;

CPO_API cpo_status cpo_bringup_progress_get(cpo_device* device, cpo_bringup_progress* progress);

/* --- Logging. The library writes nothing anywhere until told to; never to stdout. Components:
 * "hal" (bring-up outcomes), "laser" (the laser-safety core's actions), "drivers" (transports
 * and device discovery). */
typedef CPO_ENUM(cpo_log_sink){
    CPO_LOG_NONE = 0,                      /* discard (the default) */
    CPO_LOG_STDERR = 1, CPO_LOG_SYSLOG = 2 /* facility daemon, with `ident` */
} cpo_log_sink;

typedef CPO_ENUM(cpo_log_level){CPO_LOG_TRACE = 0, CPO_LOG_DEBUG = 1,
                                CPO_LOG_INFO = 2,  CPO_LOG_WARN = 3,
                                CPO_LOG_ERROR = 4, CPO_LOG_OFF = 6} cpo_log_level;

/* Sends every component's log to `sink` (ident: the syslog ident, e.g. the daemon's name; NULL:
 * "cpohal"). Components start at CPO_LOG_WARN. */
CPO_API cpo_status cpo_log_configure(cpo_log_sink sink, const char* ident);
/* One component's level ("hal", "laser", "drivers"), or every component's for NULL. */
CPO_API cpo_status cpo_log_set_level(const char* component, cpo_log_level level);

#ifdef __cplusplus
}
#endif

#endif /* CPO_C_CPO_HAL_H_ */
