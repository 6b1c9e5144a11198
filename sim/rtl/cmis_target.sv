// CMIS optical-engine management interface as an I2C target: the 256-byte window (lower page +
// selected upper page), BankSelect/PageSelect, read-only vs writable bytes, and the register
// file the module's ADCs (driven by the plant) update. Byte layout: shared/reference/cmis-elsfp.md.
module cmis_target #(
    parameter int BANKS = 8,
    parameter int TICKS_PER_100US = 800
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] step_cycles,   // see cpo_top: edges may stand for several core clocks
    output logic [31:0] quiet_cycles,
    output logic        active,        // a timed transition is running
    output logic        intl,          // interrupt request (CMIS IntL asserted)
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
    input  logic        cfg_we,      // strap: value[6:0] address, [8] present, [9] hold SCL low,
                                     // [10] LPMode pin asserted
    input  logic        sample_we,   // ADC sample: index = {quantity, lane}
    input  logic        eeprom_we,   // non-volatile byte: index = slot * 128 + offset % 128
    input  logic        timing_we,   // real duration, 100 us units: index 0 ModulePwrUp,
                                     // 1 ModulePwrDn, 2 DPInit, 3 DPDeinit, 4 DPTxTurnOn,
                                     // 5 DPTxTurnOff
    input  logic        fault_we,    // module fault: value[3:0] cause (0 clears)
    input  logic        error_we,    // bit error interval: index {hi half, media side, lane}
    input  logic        vdm_we,      // VDM sample: index {slot, lane}
    input  logic        joint_we,    // joint mode: value[8] this MCU relays a laser source
                                     // whose pages start at page value[7:0]
    input  logic [15:0] plant_index,
    input  logic [15:0] plant_value,
    // Plant read-back for the link model: lanes whose data path is Activated, and a count that
    // changes whenever that set does.
    output logic [BANKS*8-1:0] lanes_activated,
    output logic [15:0] activated_changes
);
  // One class for every instance: keeps the generated model small and quick to compile.
  /* verilator no_inline_module */
  // Storage slots of 128 bytes: 0 lower page, 1 page 00h, 2 page 01h, 3 page 02h,
  // 4 + 3b page 10h bank b, 5 + 3b page 11h bank b, 6 + 3b page 13h bank b.
  localparam int SLOTS = 4 + 3 * BANKS;
  localparam int AW = $clog2(SLOTS * 128);
  localparam logic [AW-1:0] NONE = '1;
  // Quantities the plant samples (docs/register-map.md, "plant channel").
  localparam logic [7:0] Q_TEMP = 8'd0, Q_VCC = 8'd1, Q_TX_POWER = 8'd2, Q_TX_BIAS = 8'd3,
                         Q_RX_POWER = 8'd4, Q_SNR = 8'd5;

  logic [7:0] mem[SLOTS * 128];
  logic [6:0] my_addr;
  logic present, hold_scl;
  // The I2C front end: pointer, bank and page, and the byte the bus reads next.
  logic [7:0] bank_sel, page_sel, query_offset, next_byte, ptr, wdata, read_offset, read_byte;
  logic host_write, read_done;
  cmis_i2c_port u_port (
      .clk, .rst_n,
      .t_start, .t_addr, .t_rnw, .t_write, .t_wdata, .t_read, .t_stop,
      .t_ack, .t_rdata, .t_stretch,
      .address(my_addr), .present, .hold_scl,
      .query_offset, .next_byte, .bank_sel, .page_sel,
      .host_write, .write_offset(ptr), .write_data(wdata),
      .read_done, .read_offset, .read_value(read_byte));
  logic [2:0] module_state;
  logic module_state_changed;
  logic [7:0] controls;      // byte 26: bit 6 LowPwrAllowRequestHW, 4 LowPwrRequestSW, 3 SoftwareReset
  logic [3:0] fault_cause;   // byte 41, from the plant

  /* verilator lint_off UNUSEDSIGNAL */
  logic module_reset_unused;  // engine volatile state is not modelled across removal
  /* verilator lint_on UNUSEDSIGNAL */
  cmis_module_core #(.TICKS_PER_100US(TICKS_PER_100US)) u_core (
      .clk, .rst_n, .step_cycles,
      .host_write, .write_offset(ptr), .write_data(wdata),
      .cfg_we, .timing_we, .fault_we, .plant_index, .plant_value,
      .address(my_addr), .present, .hold_scl, .controls, .fault_cause,
      .state(module_state), .state_changed(module_state_changed),
      .module_reset(module_reset_unused),
      .quiet_cycles(module_quiet));
  logic [31:0] module_quiet, datapath_quiet, diag_quiet, timers_quiet;
  assign timers_quiet = (module_quiet < datapath_quiet) ? module_quiet : datapath_quiet;
  assign quiet_cycles = (diag_quiet < timers_quiet) ? diag_quiet : timers_quiet;
  assign active = quiet_cycles != 32'hFFFF_FFFF || module_state_changed;

  // Page 01h decides which pages and banks this module serves (byte 142: bit 6 VDM pages 20h-2Fh,
  // bit 5 pages 13h/14h, bits 1-0 the banks, code 3 deferring to byte 174): with any other page
  // selected the upper window reads zeros and writes are dropped, as a host must expect.
  wire adv_vdm = mem[2 * 128 + 14][6], adv_diag = mem[2 * 128 + 14][5];
  wire [1:0] adv_bank_code = mem[2 * 128 + 14][1:0];
  logic [7:0] adv_banks;
  always_comb begin
    case (adv_bank_code)
      2'd0: adv_banks = 8'd1;
      2'd1: adv_banks = 8'd2;
      2'd2: adv_banks = 8'd4;
      default: adv_banks = {3'b0, mem[2 * 128 + 46][4:0]};
    endcase
  end
  wire page_banked_ok = bank_sel < adv_banks &&
                        ((page_sel != 8'h13 && page_sel != 8'h14) || adv_diag);
  // The pages of a relayed laser source (joint mode) are the laser's to answer.
  logic relays_laser;
  logic [7:0] laser_page_base;
  wire laser_window = relays_laser && joint_window_pkg::in_window(laser_page_base, page_sel);
  wire page_served = laser_window ? 1'b0
                   : (page_sel >= 8'h10 && page_sel <= 8'h1F) ? page_banked_ok
                   : (page_sel >= 8'h20 && page_sel <= 8'h2F) ? adv_vdm : 1'b1;
  wire host_write_served = host_write && (!ptr[7] || page_served);
  wire read_done_served = read_done && (!read_offset[7] || page_served);

  logic [7:0] app_byte[32];
  always_comb begin
    for (int i = 0; i < 32; i++) app_byte[i] = mem[86 + i];
  end
  logic dp_hit, diag_hit, vdm_hit, dp_changed, vdm_intl;
  logic [7:0] dp_data, diag_data, vdm_data;
  cmis_datapath #(.BANKS(BANKS), .TICKS_PER_100US(TICKS_PER_100US)) u_datapath (
      .clk, .rst_n, .step_cycles,
      .quiet_cycles(datapath_quiet),
      .module_ready(module_state == 3'd3),
      .app_byte,
      .wr_en(host_write_served && page_sel == 8'h10), .wr_bank(bank_sel), .wr_offset(ptr),
      .wr_data(wdata),
      .timing_we(timing_we && plant_index >= 16'd2 && plant_index <= 16'd5),
      .timing_index(2'(plant_index - 16'd2)), .timing_value(plant_value),
      .bank(bank_sel), .query_offset(query_offset),
      .query_hit(dp_hit), .query_data(dp_data),
      .read_done(read_done_served && page_sel == 8'h11), .read_offset,
      .read_value(read_byte),
      .changed_any(dp_changed),
      .activated(lanes_activated), .activated_changes);
  cmis_diag #(.BANKS(BANKS)) u_diag (
      .clk, .rst_n, .step_cycles,
      .quiet_cycles(diag_quiet),
      .wr13_en(host_write_served && page_sel == 8'h13),
      .wr14_en(host_write_served && page_sel == 8'h14),
      .wr_bank(bank_sel), .wr_offset(ptr), .wr_data(wdata),
      .error_we, .snr_we(sample_we && plant_index[15:8] == Q_SNR),
      .plant_index, .plant_value,
      .bank(bank_sel), .query_offset(query_offset),
      .query_hit(diag_hit), .query_data(diag_data));
  cmis_vdm #(.BANKS(BANKS)) u_vdm (
      .clk, .rst_n,
      .sample_we(vdm_we), .sample_index(plant_index), .sample_value(plant_value),
      .lanes_activated,
      .wr_en(host_write_served && page_sel == 8'h2F),
      .mask_wr_en(host_write_served && page_sel == 8'h2D), .wr_offset(ptr), .wr_data(wdata),
      .page(page_sel), .bank(bank_sel), .query_offset(query_offset),
      .query_hit(vdm_hit), .query_data(vdm_data),
      .read_done(read_done_served), .read_offset, .read_value(read_byte), .intl(vdm_intl));

  logic flags_hit, flags_intl;
  logic [7:0] flags_data;
  // Page 02h is slot 3 of storage: the plant's threshold bytes also load the comparators.
  wire threshold_we = eeprom_we && plant_index[15:7] == 9'd3;
  cmis_flags #(.BANKS(BANKS)) u_flags (
      .clk, .rst_n,
      .sample_we, .sample_index(plant_index), .sample_value(plant_value),
      .threshold_we, .threshold_offset({1'b1, plant_index[6:0]}), .threshold_byte(plant_value[7:0]),
      .module_state_changed, .lanes_activated,
      .mask8(mem[31]), .mask9(mem[32]),
      .mask_we(host_write_served && page_sel == 8'h10), .mask_bank(bank_sel), .mask_offset(ptr),
      .mask_data(wdata),
      .page(page_sel), .bank(bank_sel),
      .query_offset(query_offset),
      .query_hit(flags_hit), .query_data(flags_data),
      .read_done(read_done_served), .read_offset, .read_value(read_byte),
      .intl(flags_intl));
  assign intl = flags_intl || dp_changed || vdm_intl;

  // Registers that live outside storage, by page, for the byte the bus reads next.
  wire upper = query_offset[7];
  wire ext_hit = flags_hit || (upper && ((page_sel == 8'h11 && dp_hit) ||
                                         (page_sel == 8'h14 && diag_hit) || vdm_hit));
  wire [7:0] ext_data = flags_hit ? flags_data
                        : (page_sel == 8'h11 && dp_hit) ? dp_data
                        : (page_sel == 8'h14) ? diag_data : vdm_data;

  function automatic logic [AW-1:0] slot_base(input logic [7:0] page, input logic [7:0] bank);
    logic [AW-1:0] base;
    base = NONE;
    case (page)
      8'h00: base = AW'(1 * 128);
      8'h01: base = AW'(2 * 128);
      8'h02: base = AW'(3 * 128);
      8'h10: if (bank < 8'(BANKS)) base = AW'((4 + 3 * int'(bank)) * 128);
      8'h11: if (bank < 8'(BANKS)) base = AW'((5 + 3 * int'(bank)) * 128);
      8'h13: if (bank < 8'(BANKS)) base = AW'((6 + 3 * int'(bank)) * 128);
      default: base = NONE;
    endcase
    return base;
  endfunction

  // Physical address of window byte `offset` with the current page/bank, or NONE.
  function automatic logic [AW-1:0] phys(input logic [7:0] offset);
    logic [AW-1:0] base;
    if (!offset[7]) return AW'(offset);
    base = slot_base(page_sel, bank_sel);
    if (base == NONE) return NONE;
    return base | AW'(offset[6:0]);
  endfunction

  function automatic logic writable(input logic [7:0] offset);
    if (!offset[7]) return offset >= 8'd31 && offset <= 8'd36;
    // ApplyDPInit (10h:143) is a trigger, not storage: it reads back as zero.
    if (page_sel == 8'h10) return offset != 8'd143;
    return page_sel == 8'h13 && offset >= 8'd144 && offset <= 8'd183;
  endfunction

  // Storage of a lane monitor sample (index = {quantity, lane}): page 11h of the lane's bank,
  // Tx power at 154, Tx bias at 170, Rx power at 186, two bytes per lane.
  function automatic logic [AW-1:0] monitor_address(input logic [15:0] index);
    logic [AW-1:0] field;
    field = (index[15:8] == Q_TX_POWER) ? AW'(26) : (index[15:8] == Q_TX_BIAS) ? AW'(42) : AW'(58);
    return AW'((5 + 3 * int'(index[7:3])) * 128) + AW'({index[2:0], 1'b0}) + field;
  endfunction

  // The byte at `offset` of the window as the host would read it.
  function automatic logic [7:0] window_byte(input logic [7:0] offset);
    logic [AW-1:0] addr;
    if (offset == 8'd3) return {4'h0, module_state, !intl};
    if (offset == 8'd26) return controls;
    if (offset == 8'd41) return {4'h0, fault_cause};
    if (offset == 8'd126) return bank_sel;
    if (offset == 8'd127) return page_sel;
    addr = phys(offset);
    return (addr == NONE) ? 8'h00 : mem[addr];
  endfunction

  assign next_byte = (upper && !page_served) ? 8'h00
                   : ext_hit ? ext_data : window_byte(query_offset);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      relays_laser <= 1'b0;
      laser_page_base <= 8'h00;
    end else begin
      if (joint_we) begin
        relays_laser <= plant_value[8];
        laser_page_base <= plant_value[7:0];
      end
      if (host_write_served) begin
        // Byte 26 (controls) belongs to cmis_module_core.
        if (writable(ptr) && phys(ptr) != NONE) mem[phys(ptr)] <= wdata;
      end

      if (eeprom_we && int'(plant_index) < SLOTS * 128) mem[AW'(plant_index)] <= plant_value[7:0];
      if (sample_we) begin
        case (plant_index[15:8])
          Q_TEMP: begin
            mem[14] <= plant_value[15:8];
            mem[15] <= plant_value[7:0];
          end
          Q_VCC: begin
            mem[16] <= plant_value[15:8];
            mem[17] <= plant_value[7:0];
          end
          Q_TX_POWER, Q_TX_BIAS, Q_RX_POWER:
            if (int'(plant_index[7:0]) < BANKS * 8) begin
              mem[monitor_address(plant_index)] <= plant_value[15:8];
              mem[monitor_address(plant_index) + AW'(1)] <= plant_value[7:0];
            end
          default: ;
        endcase
      end
    end
  end
endmodule
