// An external laser source (OIF ELSFP over CMIS) as an I2C target: lower page, pages 00h-02h,
// and the banked laser pages 1Ah (capabilities, flags, lane enable/state, fibre map) and 1Bh
// (setpoints, monitors). Byte layout: shared/reference/cmis-elsfp.md.
//
// Each laser lane: enabling it (1Ah:220) while the module is Ready ramps it (off -> ramping ->
// on, taking the plant's real ramp time); when on, its bias and optical power follow the laser's
// physics the plant supplies (threshold current and slope efficiency, which temperature and
// aging change): constant current (1Ah:140 bit 0 = 0) drives the bias setpoint, constant power
// regulates the bias to reach the power setpoint (APC), up to the maximum bias; a lane whose
// loop cannot get there reports an APC fault. Monitors are compared with the 1Ah thresholds
// into latched per-lane flags (clear on read, maskable) that assert IntL.
//
// Lane updates run on events (a write, a plant change, a ramp finishing): the next clocks scan
// the lanes one per clock. Otherwise the block sleeps. A lane whose APC loop needs more than 90%
// of the maximum bias (an aging laser) reports warning code 1 before it faults.
//
// Save/restore (1Ah:184, OIF-ELSFP codes, written on bank 0): a lane control set (per bank
// 1Bh:128-159 setpoints, 1Ah:140 mode, 224-231 fibre map) and a mask set (per bank 1Ah:198-205
// lane masks, 210-211 global masks), each with a factory copy (what the non-volatile memory
// loaded) and two host sets. 0x10 restores the factory controls, 0x11/0x12 restore set 1/2,
// 0x18/0x19 save set 1/2; 0x20-0x22 and 0x28/0x29 the same for the masks. 1Ah:185 confirms: 0 no
// command yet, 1 success, 2 in progress, 3 invalid command, 4 nothing saved in that set, 8 failed
// (the MCU serves save/restore in ModuleLowPwr and ModuleReady, not mid power transition or in
// ModuleFault).
// Lane enables and fibre-checked flags are never restored (the host re-checks fibres). The copy
// takes one clock per byte; the host sets survive a module reset, not a power cycle.
//
// Pulling the module out (present strap falls) resets it: lanes go dark, enables and
// fibre-checked flags clear, latched flags clear.
//
// Joint mode (joint_we, see joint_window_pkg): the source sits behind an engine's MCU, strapped
// at the engine's address; it answers only the engine pages of its window, never acknowledges
// the address itself, and its IntL reaches the host through the engine's (joint, joint_slot).
module elsfp_target #(
    parameter int LANES = 16,
    parameter int TICKS_PER_100US = 800
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] step_cycles,
    output logic [31:0] quiet_cycles,
    output logic        active,
    output logic        intl,
    // Byte-level I2C bus from the controller.
    input  logic        t_start,
    input  logic [6:0]  t_addr,
    input  logic        t_rnw,
    input  logic        t_write,
    input  logic [7:0]  t_wdata,
    input  logic        t_read,
    input  logic        t_stop,
    output logic        t_ack,
    output logic [7:0]  t_rdata,
    output logic        t_stretch,
    // Plant side channel (never reachable from the register bus).
    input  logic        cfg_we,      // strap: as cmis_target
    input  logic        sample_we,   // ADC sample: index {quantity 0 temperature / 1 Vcc, 0}
    input  logic        eeprom_we,   // non-volatile byte: index = slot * 128 + offset % 128
    input  logic        timing_we,   // 100 us units: 0 ModulePwrUp, 1 ModulePwrDn, 2 lane ramp
    input  logic        fault_we,    // module fault cause
    input  logic        laser_we,    // laser physics: index {parameter, lane}, see below
    input  logic        joint_we,    // joint mode: value[8] on, [7:0] page base, [10:9] the
                                     // engine's slot on the bus
    input  logic [15:0] plant_index,
    input  logic [15:0] plant_value,
    // Plant read-back for the fibre model: of lane rd_lane, sel 0 its optical output power (10 uW
    // units), 1 the fibre it feeds (1Ah:224-231), 2 {enabled, fibre checked} (bits 1, 0); sel 3 a
    // count of lane scans (it changes whenever powers or the map may have), so the plant
    // re-reads the lanes only then.
    input  logic [1:0]  rd_sel,
    input  logic [3:0]  rd_lane,
    output logic [15:0] rd_out,
    output logic        joint,
    output logic [1:0]  joint_slot
);
  /* verilator no_inline_module */
  localparam int BANKS = (LANES + 7) / 8;
  localparam int LW = $clog2(LANES);
  // Storage slots: 0 lower page, 1-3 pages 00h-02h, 4 + 2b page 1Ah bank b, 5 + 2b page 1Bh.
  localparam int SLOTS = 4 + 2 * BANKS;
  localparam int AW = $clog2(SLOTS * 128);
  localparam logic [AW-1:0] NONE = '1;
  localparam logic [1:0] OFF = 2'd0, RAMPING = 2'd1, ON = 2'd2;
  localparam logic [3:0] FAULT_APC = 4'd1;
  // Laser parameters (plant kind 7, index[11:8]): 0 threshold current (100 uA units), 1 slope
  // efficiency (uW per mA).
  localparam logic [3:0] P_THRESHOLD = 4'd0, P_SLOPE = 4'd1;

  logic [7:0] mem[SLOTS * 128];
  logic [6:0] my_addr;
  logic present, hold_scl;
  logic [7:0] controls;
  logic [3:0] fault_cause;
  logic [15:0] ramp_100us;
  logic [2:0] module_state;
  logic module_state_changed;
  logic [31:0] module_quiet;

  // Per lane.
  logic [1:0] lane_state[LANES];
  logic [63:0] ramp_done_at[LANES];
  logic [15:0] threshold_100ua[LANES], slope_uw_per_ma[LANES];
  logic [15:0] bias_100ua[LANES], power_10uw[LANES];
  logic [3:0] fault_code[LANES], warning_code[LANES];
  logic [7:0] latched[LANES];  // bias HA, LA, HW, LW, power HA, LA, HW, LW (bit k)
  logic [LANES-1:0] lane_fault, lane_warning;
  logic module_reset;
  logic [15:0] scan_count;  // lane scans completed (for the plant's fibre model)

  // Save/restore: SR_BYTES bytes a bank, the controls first (SR_CONTROLS), then the masks; three
  // stores of them: 0 factory, 1 and 2 the host's sets.
  localparam int SR_BYTES = 51;
  localparam int SR_CONTROLS = 41;
  localparam int SR_TOTAL = SR_BYTES * BANKS;
  localparam int SRW = $clog2(SR_TOTAL + 1);
  localparam logic [3:0] SR_NONE = 4'd0, SR_SUCCESS = 4'd1, SR_BUSY = 4'd2, SR_INVALID = 4'd3,
                         SR_NOTHING_SAVED = 4'd4, SR_FAILED = 4'd8;
  logic [7:0] sr_store[3][SR_TOTAL];
  logic [2:0] have_controls, have_masks;  // bit s: store s holds a set (the factory one always)
  logic sr_copying, sr_restore, sr_masks;
  logic [1:0] sr_set;
  logic [3:0] sr_result;
  logic [SRW-1:0] sr_index;

  // The I2C front end; in joint mode the window maps the engine's pages onto this module's.
  logic [7:0] bank_sel, bus_page_sel, bus_query_offset, bus_next_byte, bus_ptr, wdata;
  logic [7:0] bus_read_offset, read_byte;
  logic bus_host_write, bus_read_done, bus_ack;
  cmis_i2c_port u_port (
      .clk, .rst_n,
      .t_start, .t_addr, .t_rnw, .t_write, .t_wdata, .t_read, .t_stop,
      .t_ack(bus_ack), .t_rdata, .t_stretch,
      .address(my_addr), .present, .hold_scl,
      .query_offset(bus_query_offset), .next_byte(bus_next_byte), .bank_sel,
      .page_sel(bus_page_sel),
      .host_write(bus_host_write), .write_offset(bus_ptr), .write_data(wdata),
      .read_done(bus_read_done), .read_offset(bus_read_offset), .read_value(read_byte));
  logic [7:0] joint_base;
  wire [7:0] page_sel = joint ? joint_window_pkg::laser_page(joint_base, bus_page_sel)
                              : bus_page_sel;
  wire [7:0] query_offset =
      joint ? joint_window_pkg::laser_offset(joint_base, bus_page_sel, bus_query_offset)
            : bus_query_offset;
  wire [7:0] ptr = joint ? joint_window_pkg::laser_offset(joint_base, bus_page_sel, bus_ptr)
                         : bus_ptr;
  wire [7:0] read_offset =
      joint ? joint_window_pkg::laser_offset(joint_base, bus_page_sel, bus_read_offset)
            : bus_read_offset;
  wire query_served = !joint || joint_window_pkg::served(joint_base, bus_page_sel, bus_query_offset);
  wire host_write = bus_host_write &&
                    (!joint || joint_window_pkg::served(joint_base, bus_page_sel, bus_ptr));
  wire read_done = bus_read_done &&
                   (!joint || joint_window_pkg::served(joint_base, bus_page_sel, bus_read_offset));
  assign t_ack = bus_ack && !joint;  // the engine's MCU acknowledges its own address
  logic [7:0] next_byte;
  assign bus_next_byte = query_served ? next_byte : 8'h00;

  cmis_module_core #(.TICKS_PER_100US(TICKS_PER_100US)) u_core (
      .clk, .rst_n, .step_cycles,
      .host_write, .write_offset(ptr), .write_data(wdata),
      .cfg_we, .timing_we, .fault_we, .plant_index, .plant_value,
      .address(my_addr), .present, .hold_scl, .controls, .fault_cause,
      .state(module_state), .state_changed(module_state_changed),
      .module_reset,
      .quiet_cycles(module_quiet));
  wire module_ready = module_state == 3'd3;

  // Module flags (temperature and Vcc, bytes 8/9) from the shared flag block; its lane part is
  // unused here (the laser flags live on page 1Ah).
  logic flags_hit, flags_intl;
  logic [7:0] flags_data;
  cmis_flags #(.BANKS(2)) u_flags (
      .clk, .rst_n,
      .sample_we, .sample_index(plant_index), .sample_value(plant_value),
      .threshold_we(eeprom_we && plant_index[15:7] == 9'd3),
      .threshold_offset({1'b1, plant_index[6:0]}), .threshold_byte(plant_value[7:0]),
      .module_state_changed, .lanes_activated('0),
      .mask8(mem[31]), .mask9(mem[32]),
      .mask_we(1'b0), .mask_bank(8'h0), .mask_offset(8'h0), .mask_data(8'h0),
      .page(page_sel), .bank(bank_sel),
      .query_offset,
      .query_hit(flags_hit), .query_data(flags_data),
      .read_done, .read_offset, .read_value(read_byte),
      .intl(flags_intl));

  function automatic logic [AW-1:0] slot_base(input logic [7:0] page, input logic [7:0] bank);
    case (page)
      8'h00: return AW'(1 * 128);
      8'h01: return AW'(2 * 128);
      8'h02: return AW'(3 * 128);
      8'h1A: return bank < 8'(BANKS) ? AW'((4 + 2 * int'(bank)) * 128) : NONE;
      8'h1B: return bank < 8'(BANKS) ? AW'((5 + 2 * int'(bank)) * 128) : NONE;
      default: return NONE;
    endcase
  endfunction

  function automatic logic [AW-1:0] phys(input logic [7:0] offset);
    logic [AW-1:0] base;
    if (!offset[7]) return AW'(offset);
    base = slot_base(page_sel, bank_sel);
    return base == NONE ? NONE : (base | AW'(offset[6:0]));
  endfunction

  function automatic logic writable(input logic [7:0] offset);
    if (!offset[7]) return offset >= 8'd31 && offset <= 8'd36;
    if (page_sel == 8'h1A && offset == 8'd184) return 1'b0;  // a command, not storage
    if (page_sel == 8'h1A) begin
      return offset == 8'd140 || (offset >= 8'd198 && offset <= 8'd205) || offset == 8'd210 ||
             offset == 8'd211 || offset == 8'd220 ||
             offset == 8'd223 || (offset >= 8'd224 && offset <= 8'd231);
    end
    return page_sel == 8'h1B && offset >= 8'd128 && offset <= 8'd159;
  endfunction

  // Storage helpers: a bank's 1Ah / 1Bh byte, and 16-bit big-endian fields.
  function automatic logic [7:0] page1a(input int bank, input int offset);
    return mem[AW'((4 + 2 * bank) * 128 + offset - 128)];
  endfunction
  function automatic logic [15:0] u16_1a(input int offset);
    return {page1a(0, offset), page1a(0, offset + 1)};
  endfunction
  function automatic logic [15:0] u16_1b(input int bank, input int offset);
    return {mem[AW'((5 + 2 * bank) * 128 + offset - 128)],
            mem[AW'((5 + 2 * bank) * 128 + offset - 127)]};
  endfunction

  wire [LW-1:0] lane0 = LW'(int'(bank_sel) * 8);
  wire bank_ok = bank_sel < 8'(BANKS);

  // The byte at `offset` of the window as the host reads it.
  function automatic logic [7:0] window_byte(input logic [7:0] offset);
    logic [AW-1:0] addr;
    logic [7:0] bits;
    if (offset == 8'd3) return {4'h0, module_state, !intl};
    if (offset == 8'd26) return controls;
    if (offset == 8'd41) return {4'h0, fault_cause};
    if (offset == 8'd126) return bank_sel;
    if (offset == 8'd127) return page_sel;
    if (offset[7] && page_sel == 8'h1A && bank_ok) begin
      bits = 8'h00;
      // bit 2: a lane has a fault, bit 3: a lane has a warning
      if (offset == 8'd165) return {4'h0, |lane_warning, |lane_fault, 2'h0};
      if (offset >= 8'd166 && offset <= 8'd169) begin  // fault flags, lanes 1-32
        for (int i = 0; i < 8; i++) begin
          if ((int'(offset) - 166) * 8 + i < LANES) bits[i] = lane_fault[LW'((int'(offset) - 166) * 8 + i)];
        end
        return bits;
      end
      if (offset >= 8'd174 && offset <= 8'd177) begin  // warning flags, lanes 1-32
        for (int i = 0; i < 8; i++) begin
          if ((int'(offset) - 174) * 8 + i < LANES) bits[i] = lane_warning[LW'((int'(offset) - 174) * 8 + i)];
        end
        return bits;
      end
      if (offset == 8'd184) return 8'h00;
      if (offset == 8'd185) return {4'h0, sr_result};
      if (offset >= 8'd186 && offset <= 8'd193) begin  // latched lane flags of this bank
        for (int i = 0; i < 8; i++) bits[i] = latched[lane0 + LW'(i)][int'(offset) - 186];
        return bits;
      end
      if (offset >= 8'd212 && offset <= 8'd219) begin
        return {warning_code[lane0 + LW'(int'(offset) - 212)], fault_code[lane0 + LW'(int'(offset) - 212)]};
      end
      if (offset == 8'd221 || offset == 8'd222) begin  // lane state, 2 bits a lane
        for (int i = 0; i < 4; i++) begin
          bits[2 * i +: 2] = lane_state[lane0 + LW'(4 * (int'(offset) - 221) + i)];
        end
        return bits;
      end
    end
    if (offset[7] && page_sel == 8'h1B && bank_ok) begin
      // Lane voltage (15 mV units): a lit lane's diode drop, 1.1 V plus 2 ohm times its bias; a dark
      // lane 0. Icc (200 uA units): 100 mA of control electronics and TEC plus the bank's biases.
      if (offset >= 8'd232 && offset <= 8'd239) begin
        if (lane_state[lane0 + LW'(int'(offset) - 232)] != ON) return 8'h00;
        return 8'((32'd1100 + 32'(bias_100ua[lane0 + LW'(int'(offset) - 232)]) / 32'd5) / 32'd15);
      end
      if (offset == 8'd240 || offset == 8'd241) begin : icc
        logic [31:0] code;
        code = 32'd500;
        for (int i = 0; i < 8; i++) begin
          if (int'(lane0) + i < LANES) code = code + 32'(bias_100ua[lane0 + LW'(i)]) / 32'd2;
        end
        return offset[0] ? code[7:0] : code[15:8];
      end
      if (offset >= 8'd184 && offset <= 8'd199) begin
        return offset[0] ? bias_100ua[lane0 + LW'((int'(offset) - 184) / 2)][7:0]
                         : bias_100ua[lane0 + LW'((int'(offset) - 184) / 2)][15:8];
      end
      if (offset >= 8'd200 && offset <= 8'd215) begin
        return offset[0] ? power_10uw[lane0 + LW'((int'(offset) - 200) / 2)][7:0]
                         : power_10uw[lane0 + LW'((int'(offset) - 200) / 2)][15:8];
      end
    end
    addr = phys(offset);
    return (addr == NONE) ? 8'h00 : mem[addr];
  endfunction

  assign next_byte = flags_hit ? flags_data : window_byte(query_offset);
  always_comb begin
    logic [7:0] enables, checked;
    rd_out = 16'h0;
    enables = 8'h0;
    checked = 8'h0;
    if (int'(rd_lane) < LANES) begin
      enables = page1a(int'(rd_lane) / 8, 220);
      checked = page1a(int'(rd_lane) / 8, 223);
      case (rd_sel)
        2'd0: rd_out = power_10uw[LW'(rd_lane)];
        2'd1: rd_out = {8'h0, page1a(int'(rd_lane) / 8, 224 + int'(rd_lane) % 8)};
        2'd2: rd_out = {14'h0, enables[rd_lane[2:0]], checked[rd_lane[2:0]]};
        2'd3: rd_out = scan_count;
        default: ;
      endcase
    end
  end

  // Where byte j of a bank's save set lives: 1Bh:128-159, 1Ah:140, 224-231 (the controls), then
  // 1Ah:198-205, 210-211 (the masks).
  function automatic logic [AW-1:0] sr_address(input logic [SRW-1:0] index);
    int b, j;
    b = int'(index) / SR_BYTES;
    j = int'(index) % SR_BYTES;
    if (j < 32) return AW'((5 + 2 * b) * 128 + j);
    if (j == 32) return AW'((4 + 2 * b) * 128 + 12);
    if (j < SR_CONTROLS) return AW'((4 + 2 * b) * 128 + 96 + j - 33);
    if (j < SR_CONTROLS + 8) return AW'((4 + 2 * b) * 128 + 70 + j - SR_CONTROLS);
    return AW'((4 + 2 * b) * 128 + 82 + j - SR_CONTROLS - 8);
  endfunction
  // The inverse: the save-set index of storage byte `addr` (SR_TOTAL when it is in no set), so the
  // non-volatile load fills the factory copy.
  function automatic logic [SRW-1:0] sr_index_of(input int addr);
    int s, o, b;
    s = addr / 128;
    o = addr % 128;
    if (s < 4 || s >= SLOTS) return SRW'(SR_TOTAL);
    b = (s - 4) / 2;
    if (s % 2 == 1) return o < 32 ? SRW'(b * SR_BYTES + o) : SRW'(SR_TOTAL);
    if (o == 12) return SRW'(b * SR_BYTES + 32);
    if (o >= 96 && o < 104) return SRW'(b * SR_BYTES + 33 + o - 96);
    if (o >= 70 && o < 78) return SRW'(b * SR_BYTES + SR_CONTROLS + o - 70);
    if (o == 82 || o == 83) return SRW'(b * SR_BYTES + SR_CONTROLS + 8 + o - 82);
    return SRW'(SR_TOTAL);
  endfunction
  // IntL: module flags, or a latched laser flag whose mask (1Ah:198-205) is clear.
  logic lanes_pending;
  assign intl = flags_intl || lanes_pending;

  // Lane scans after events; timers for ramps.
  logic [63:0] now, next_due;
  logic dirty, scanning, rescan, was_ready;
  logic [LW-1:0] scan_lane;
  logic [63:0] scan_earliest;
  logic scan_pending;  // an unmasked latched flag seen so far in this scan

  always_comb begin
    quiet_cycles = module_quiet;
    if (dirty || scanning || sr_copying) quiet_cycles = 32'd1;
    else if (next_due != '1) begin
      if (next_due <= now + 64'd1) quiet_cycles = 32'd1;
      else if (next_due - now < 64'(module_quiet)) quiet_cycles = 32'(next_due - now);
    end
  end
  assign active = quiet_cycles != 32'hFFFF_FFFF || module_state_changed;

  function automatic logic [63:0] ramp_ticks(input logic [15:0] units_100us);
    return (units_100us == 16'd0) ? 64'd1 : 64'(units_100us) * 64'(TICKS_PER_100US);
  endfunction

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      ramp_100us <= 16'd1;
      lane_fault <= '0;
      lane_warning <= '0;
      have_controls <= 3'b001;
      have_masks <= 3'b001;
      sr_copying <= 1'b0;
      sr_restore <= 1'b0;
      sr_masks <= 1'b0;
      sr_set <= 2'd0;
      sr_result <= SR_NONE;
      sr_index <= '0;
      lanes_pending <= 1'b0;
      now <= 64'd0;
      next_due <= '1;
      dirty <= 1'b0;
      scanning <= 1'b0;
      rescan <= 1'b0;
      was_ready <= 1'b0;
      scan_lane <= '0;
      scan_earliest <= '1;
      scan_pending <= 1'b0;
      scan_count <= 16'd0;
      joint <= 1'b0;
      joint_base <= 8'h00;
      joint_slot <= 2'd0;
    end else begin : run
      logic [63:0] t;
      t = now + 64'(step_cycles);
      now <= t;
      was_ready <= module_ready;
      dirty <= module_ready != was_ready || (next_due != '1 && next_due <= t + 64'd1);

      if (host_write) begin
        if (writable(ptr) && phys(ptr) != NONE) mem[phys(ptr)] <= wdata;
        if (ptr[7] && (page_sel == 8'h1A || page_sel == 8'h1B)) dirty <= 1'b1;
      end
      // Clear on read of the latched lane flags (a flag whose condition persists re-latches on
      // the next scan).
      if (read_done && page_sel == 8'h1A && bank_ok && read_offset >= 8'd186 &&
          read_offset <= 8'd193) begin
        for (int i = 0; i < 8; i++) begin
          if (read_byte[i]) latched[lane0 + LW'(i)][int'(read_offset) - 186] <= 1'b0;
        end
        dirty <= 1'b1;
      end

      // Save/restore command, then the copy, one byte a clock (only the bytes of its kind).
      if (host_write && page_sel == 8'h1A && bank_sel == 8'h00 && ptr == 8'd184 && !sr_copying) begin : command
        logic masks, restore, known, saved;
        logic [1:0] set;
        masks = wdata[5];
        restore = !wdata[3];
        set = wdata[1:0];
        known = (wdata[7:4] == 4'h1 || wdata[7:4] == 4'h2) &&
                (restore ? (wdata[2:0] <= 3'd2) : (wdata[2:0] == 3'd0 || wdata[2:0] == 3'd1));
        if (!restore) set = wdata[1:0] + 2'd1;  // 0x18/0x28 save set 1, 0x19/0x29 set 2
        saved = masks ? have_masks[set] : have_controls[set];
        if (!known) sr_result <= SR_INVALID;
        else if (restore && !saved) sr_result <= SR_NOTHING_SAVED;
        else if (module_state != 3'd1 && !module_ready) sr_result <= SR_FAILED;
        else begin
          sr_copying <= 1'b1;
          sr_restore <= restore;
          sr_masks <= masks;
          sr_set <= set;
          sr_index <= '0;
          sr_result <= SR_BUSY;
        end
      end
      if (sr_copying) begin : copy
        logic in_kind;
        in_kind = ((int'(sr_index) % SR_BYTES) >= SR_CONTROLS) == sr_masks;
        if (in_kind && sr_restore) mem[sr_address(sr_index)] <= sr_store[sr_set][sr_index];
        else if (in_kind) sr_store[sr_set][sr_index] <= mem[sr_address(sr_index)];
        sr_index <= sr_index + SRW'(1);
        if (int'(sr_index) == SR_TOTAL - 1) begin
          sr_copying <= 1'b0;
          sr_result <= SR_SUCCESS;
          if (!sr_restore && sr_masks) have_masks[sr_set] <= 1'b1;
          if (!sr_restore && !sr_masks) have_controls[sr_set] <= 1'b1;
          dirty <= 1'b1;
        end
      end

      if (module_reset) begin
        for (int b = 0; b < BANKS; b++) begin
          mem[AW'((4 + 2 * b) * 128 + 92)] <= 8'h00;  // 1Ah:220 lane enables
          mem[AW'((4 + 2 * b) * 128 + 95)] <= 8'h00;  // 1Ah:223 fibre checked
        end
        for (int l = 0; l < LANES; l++) latched[l] <= 8'h00;
        dirty <= 1'b1;
      end

      if (timing_we && plant_index == 16'd2) ramp_100us <= plant_value;
      if (joint_we) begin
        joint <= plant_value[8];
        joint_base <= plant_value[7:0];
        joint_slot <= plant_value[10:9];
      end
      if (eeprom_we && int'(plant_index) < SLOTS * 128) begin
        mem[AW'(plant_index)] <= plant_value[7:0];
        if (int'(sr_index_of(int'(plant_index))) < SR_TOTAL) begin
          sr_store[0][sr_index_of(int'(plant_index))] <= plant_value[7:0];
        end
      end
      if (sample_we && plant_index[15:8] == 8'd0) begin
        mem[14] <= plant_value[15:8];
        mem[15] <= plant_value[7:0];
      end
      if (sample_we && plant_index[15:8] == 8'd1) begin
        mem[16] <= plant_value[15:8];
        mem[17] <= plant_value[7:0];
      end
      if (laser_we && int'(plant_index[3:0]) < LANES) begin
        if (plant_index[11:8] == P_THRESHOLD) threshold_100ua[LW'(plant_index[3:0])] <= plant_value;
        if (plant_index[11:8] == P_SLOPE) slope_uw_per_ma[LW'(plant_index[3:0])] <= plant_value;
        dirty <= 1'b1;
      end

      if (dirty && !scanning) begin
        scanning <= 1'b1;
        rescan <= 1'b0;
        scan_lane <= '0;
        scan_earliest <= '1;
        scan_pending <= 1'b0;
        next_due <= '1;
      end else if (dirty) begin
        rescan <= 1'b1;
      end

      if (scanning) begin : scan
        logic [LW-1:0] l;
        logic [1:0] state;
        logic [63:0] due, earliest;
        logic enabled, cp_mode;
        logic [31:0] bias, power, needed;
        logic [15:0] max_bias;
        logic [7:0] flags, masks, enables, mask_byte;
        int b, k;
        l = scan_lane;
        b = int'(l) / 8;
        k = int'(l) % 8;
        enables = page1a(b, 220);
        enabled = enables[k] && module_ready;
        cp_mode = (page1a(0, 140) & 8'h01) != 8'h00;
        max_bias = u16_1a(132);
        state = lane_state[l];
        due = ramp_done_at[l];
        if (!enabled) state = OFF;
        else if (state == OFF) begin
          state = RAMPING;
          due = t + ramp_ticks(ramp_100us);
        end else if (state == RAMPING && due <= t) state = ON;
        bias = 32'd0;
        power = 32'd0;
        fault_code[l] <= 4'd0;
        if (state == ON) begin
          if (cp_mode) begin
            // APC: the bias that gives the power setpoint (10 uW units) on this laser.
            needed = slope_uw_per_ma[l] == 16'd0 ? 32'hFFFF_FFFF
                   : 32'(threshold_100ua[l]) + (32'(u16_1b(b, 144 + 2 * k)) * 32'd100) / 32'(slope_uw_per_ma[l]);
            bias = needed > 32'(max_bias) ? 32'(max_bias) : needed;
            if (needed > 32'(max_bias)) fault_code[l] <= FAULT_APC;
          end else begin
            bias = 32'(u16_1b(b, 128 + 2 * k));
          end
          power = bias > 32'(threshold_100ua[l])
                  ? ((bias - 32'(threshold_100ua[l])) * 32'(slope_uw_per_ma[l])) / 32'd100 : 32'd0;
        end
        bias_100ua[l] <= 16'(bias);
        power_10uw[l] <= power > 32'hFFFF ? 16'hFFFF : 16'(power);
        // Threshold flags in the bit order of 1Ah:186-193 (bias HA, LA, HW, LW, power HA, LA,
        // HW, LW): bias against 1Ah:141-148, power against 149-156; low flags only when lit.
        flags = {32'(power) < 32'(u16_1a(155)) && state == ON, 32'(power) > 32'(u16_1a(153)),
                 32'(power) < 32'(u16_1a(151)) && state == ON, 32'(power) > 32'(u16_1a(149)),
                 bias < 32'(u16_1a(147)) && state == ON, bias > 32'(u16_1a(145)),
                 bias < 32'(u16_1a(143)) && state == ON, bias > 32'(u16_1a(141))};
        masks = 8'h0;
        for (int j = 0; j < 8; j++) begin
          mask_byte = page1a(b, 198 + j);
          masks[j] = mask_byte[k];
        end
        latched[l] <= latched[l] | flags;
        lane_fault[l] <= state == ON && cp_mode && needed > 32'(max_bias);
        // APC warning: the loop needs more than 90% of the maximum bias (needed * 10 > max * 9).
        warning_code[l] <= (state == ON && cp_mode && needed <= 32'(max_bias) &&
                            needed * 32'd10 > 32'(max_bias) * 32'd9) ? FAULT_APC : 4'd0;
        lane_warning[l] <= state == ON && cp_mode && needed <= 32'(max_bias) &&
                           needed * 32'd10 > 32'(max_bias) * 32'd9;
        lane_state[l] <= state;
        ramp_done_at[l] <= due;
        earliest = (state == RAMPING && due < scan_earliest) ? due : scan_earliest;
        scan_earliest <= earliest;
        scan_pending <= scan_pending || ((latched[l] | flags) & ~masks) != 8'h0 ||
                        (state == ON && cp_mode && needed > 32'(max_bias));
        scan_lane <= scan_lane + LW'(1);
        if (int'(scan_lane) == LANES - 1) begin
          scan_count <= scan_count + 16'd1;
          scanning <= rescan || dirty;
          rescan <= 1'b0;
          lanes_pending <= scan_pending || ((latched[l] | flags) & ~masks) != 8'h0;
          if (!(rescan || dirty)) next_due <= earliest;
        end
      end
    end
  end
endmodule
