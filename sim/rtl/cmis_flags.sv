// CMIS latched flags of one engine: threshold comparators (temperature, Vcc, per-lane Tx power,
// Tx bias, Rx power against page 02h), module state change, clear-on-read, masks and IntL.
//
// Comparators run when the ADC delivers a sample (the plant writes one), so no per-cycle work.
// A lane's low alarms and warnings, and its Rx LOS and CDR LOL (11h:147/148), count only while its
// data path is Activated: a dark or deactivated lane is not "low". Rx LOS is an Rx power sample
// below 0.01 mW (-20 dBm); the CDR cannot lock without a signal, so CDR LOL follows it.
// A flag latches when its condition is seen; a host read clears only the reported bits whose
// condition has gone, so a condition that persists stays latched (as a module re-latches it on
// its next ADC cycle).
module cmis_flags #(
    parameter int BANKS = 8
) (
    input  logic        clk,
    input  logic        rst_n,
    // ADC sample (same encoding as cmis_target's plant port).
    input  logic        sample_we,
    input  logic [15:0] sample_index,     // {quantity, lane}
    input  logic [15:0] sample_value,
    // Threshold load: page 02h bytes as the plant programs them (offset 128..255).
    input  logic        threshold_we,
    input  logic [7:0]  threshold_offset,
    input  logic [7:0]  threshold_byte,
    input  logic        module_state_changed,
    input  logic [BANKS*8-1:0] lanes_activated,
    input  logic [7:0]  mask8,            // lower page byte 31: masks for byte 8
    input  logic [7:0]  mask9,            // lower page byte 32: masks for byte 9
    // Host writes to page 10h: lane flag masks 218-225 (Tx power, Tx bias), 226/227 (Rx LOS, CDR
    // LOL) and 228-231 (Rx power), bit/lane; a masked lane flag latches but does not assert IntL.
    input  logic        mask_we,
    input  logic [7:0]  mask_bank,
    input  logic [7:0]  mask_offset,
    input  logic [7:0]  mask_data,
    // Host reads: which byte the bus will read next, and the byte just read (to clear it).
    input  logic [7:0]  page,
    input  logic [7:0]  bank,
    input  logic [7:0]  query_offset,
    output logic        query_hit,
    output logic [7:0]  query_data,
    input  logic        read_done,
    input  logic [7:0]  read_offset,
    input  logic [7:0]  read_value,
    output logic        intl               // interrupt asserted (active high here)
);
  // One class for every instance: keeps the generated model small and quick to compile.
  /* verilator no_inline_module */
  localparam logic [7:0] Q_TEMP = 8'd0, Q_VCC = 8'd1, Q_TX_POWER = 8'd2, Q_RX_POWER = 8'd4;
  // Per bank: {Tx power, Tx bias, Rx power} x {HA, LA, HW, LW}, then Rx LOS and Rx CDR LOL.
  localparam int LANE_BYTES = 14;
  localparam int I_RX_LOS = 12, I_RX_LOL = 13;
  localparam logic [3:0] I_NONE = 4'd15;
  localparam logic [15:0] RX_LOS_BELOW = 16'd100;  // 0.01 mW in 0.1 uW codes
  localparam int LBW = $clog2(BANKS * LANE_BYTES);
  localparam int BW = $clog2(BANKS);
  localparam int LNW = $clog2(BANKS * 8);
  // Until the plant loads real thresholds nothing trips: {LW, HW, LA, HA} per quantity.
  localparam logic [4:0][3:0][15:0] THRESHOLDS_RESET = {
    {6{16'h0000, 16'hFFFF}}, {16'h0000, 16'hFFFF, 16'h0000, 16'hFFFF},
    {16'h8000, 16'h7FFF, 16'h8000, 16'h7FFF}};

  // Thresholds: 5 quantities x {high alarm, low alarm, high warning, low warning}, 16 bits each.
  logic [4:0][3:0][15:0] threshold;
  logic [7:0] latched8, latched9, level9;
  logic [7:0] lane_latched[BANKS * LANE_BYTES];
  logic [7:0] lane_level[BANKS * LANE_BYTES];
  logic [7:0] lane_mask[BANKS * LANE_BYTES];
  logic [BANKS-1:0] bank_any;

  // Quantity whose thresholds live at this page 02h offset, or 7 for none. Each group of 8 bytes
  // is 8-aligned, so offset[2:1] picks the threshold and offset[0] the byte.
  function automatic logic [2:0] threshold_quantity(input logic [7:0] offset);
    if (offset >= 8'd128 && offset <= 8'd135) return 3'd0;
    if (offset >= 8'd136 && offset <= 8'd143) return 3'd1;
    if (offset >= 8'd176 && offset <= 8'd183) return 3'd2;
    if (offset >= 8'd184 && offset <= 8'd191) return 3'd3;
    if (offset >= 8'd192 && offset <= 8'd199) return 3'd4;
    return 3'd7;
  endfunction

  // {LW, HW, LA, HA} for a sample against its quantity's thresholds.
  function automatic logic [3:0] compare(input logic [2:0] q, input logic [15:0] value);
    logic is_signed;
    is_signed = (q == 3'd0);
    if (is_signed) begin
      return {$signed(value) < $signed(threshold[q][3]), $signed(value) > $signed(threshold[q][2]),
              $signed(value) < $signed(threshold[q][1]), $signed(value) > $signed(threshold[q][0])};
    end
    return {value < threshold[q][3], value > threshold[q][2], value < threshold[q][1],
            value > threshold[q][0]};
  endfunction

  // Page 11h offset of a lane flag byte -> index within the bank (0..13), or I_NONE.
  function automatic logic [3:0] lane_flag_index(input logic [7:0] offset);
    if (offset >= 8'd139 && offset <= 8'd146) return 4'(offset - 8'd139);
    if (offset >= 8'd149 && offset <= 8'd152) return 4'(offset - 8'd141);
    if (offset == 8'd147) return 4'(I_RX_LOS);
    if (offset == 8'd148) return 4'(I_RX_LOL);
    return I_NONE;
  endfunction

  // Page 10h mask offset -> index within the bank (0..13), or I_NONE.
  function automatic logic [3:0] lane_mask_index(input logic [7:0] offset);
    if (offset >= 8'd218 && offset <= 8'd225) return 4'(offset - 8'd218);
    if (offset >= 8'd228 && offset <= 8'd231) return 4'(offset - 8'd220);
    if (offset == 8'd226) return 4'(I_RX_LOS);
    if (offset == 8'd227) return 4'(I_RX_LOL);
    return I_NONE;
  endfunction

  // Whether bank b holds an unmasked latched lane flag, with byte `at` of it replaced by `value`.
  function automatic logic bank_pending(input int b, input int at, input logic [7:0] value,
                                        input int mask_at, input logic [7:0] mask_value);
    logic any;
    any = 1'b0;
    for (int i = 0; i < LANE_BYTES; i++) begin
      logic [7:0] latched, mask;
      latched = (i == at) ? value : lane_latched[LBW'(b * LANE_BYTES + i)];
      mask = (i == mask_at) ? mask_value : lane_mask[LBW'(b * LANE_BYTES + i)];
      if ((latched & ~mask) != 8'h0) any = 1'b1;
    end
    return any;
  endfunction

  wire banked_ok = page == 8'h11 && bank < 8'(BANKS);
  wire [3:0] summary4 = 4'(bank_any);  // banks 0-3 (zeros past the last bank)
  wire [3:0] query_lane_index = lane_flag_index(query_offset);
  wire [3:0] read_lane_index = lane_flag_index(read_offset);

  always_comb begin
    query_hit = 1'b1;
    query_data = 8'h00;
    if (query_offset >= 8'd4 && query_offset <= 8'd7) begin
      // Lane-flag summary of banks 0-3, bit 0: the bank holds an unmasked latched 11h flag.
      query_data = {7'h0, summary4[query_offset[1:0]]};
    end else if (query_offset == 8'd8) query_data = latched8;
    else if (query_offset == 8'd9) query_data = latched9;
    else if (banked_ok && query_lane_index != I_NONE) begin
      query_data = lane_latched[int'(bank) * LANE_BYTES + int'(query_lane_index)];
    end else query_hit = 1'b0;
  end

  assign intl = |(latched8 & ~mask8) || |(latched9 & ~mask9) || |bank_any;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      latched8 <= 8'h0;
      latched9 <= 8'h0;
      level9 <= 8'h0;
      bank_any <= '0;
      threshold <= THRESHOLDS_RESET;
      // lane_latched and lane_level power up as zeros (the model is built with --x-initial 0).
    end else begin
      if (threshold_we && threshold_quantity(threshold_offset) != 3'd7) begin
        if (!threshold_offset[0]) begin
          threshold[threshold_quantity(threshold_offset)][threshold_offset[2:1]][15:8] <= threshold_byte;
        end else begin
          threshold[threshold_quantity(threshold_offset)][threshold_offset[2:1]][7:0] <= threshold_byte;
        end
      end

      // Sets win over a clear on the same edge: an event is never lost.
      if (module_state_changed) latched8 <= latched8 | 8'h01;
      else if (read_done && read_offset == 8'd8) latched8 <= latched8 & ~read_value;

      if (sample_we && (sample_index[15:8] == Q_TEMP || sample_index[15:8] == Q_VCC)) begin : module_sample
        logic [3:0] flags;
        logic [7:0] level;
        flags = compare(sample_index[10:8], sample_value);
        level = (sample_index[15:8] == Q_TEMP) ? {level9[7:4], flags} : {flags, level9[3:0]};
        level9 <= level;
        latched9 <= latched9 | level;
      end else if (read_done && read_offset == 8'd9) begin
        latched9 <= latched9 & ~(read_value & ~level9);
      end

      if (sample_we && sample_index[15:8] >= Q_TX_POWER && sample_index[15:8] <= Q_RX_POWER &&
          int'(sample_index[7:0]) < BANKS * 8) begin : lane_sample
        logic [3:0] flags;
        logic [LBW-1:0] base, bank_base;
        logic active, los;
        active = lanes_activated[LNW'(sample_index[7:0])];
        flags = compare(sample_index[10:8], sample_value);
        if (!active) flags = flags & 4'b0101;  // {LW, HW, LA, HA}: no low flags on a dark lane
        bank_base = LBW'(int'(sample_index[7:3]) * LANE_BYTES);
        base = bank_base + LBW'(4 * (int'(sample_index[15:8]) - 2));
        if (sample_index[15:8] == Q_RX_POWER) begin
          los = active && sample_value < RX_LOS_BELOW;
          lane_level[bank_base + LBW'(I_RX_LOS)][sample_index[2:0]] <= los;
          lane_level[bank_base + LBW'(I_RX_LOL)][sample_index[2:0]] <= los;
          if (los) begin
            lane_latched[bank_base + LBW'(I_RX_LOS)][sample_index[2:0]] <= 1'b1;
            lane_latched[bank_base + LBW'(I_RX_LOL)][sample_index[2:0]] <= 1'b1;
          end
          if (los && !(lane_mask[bank_base + LBW'(I_RX_LOS)][sample_index[2:0]] &&
                       lane_mask[bank_base + LBW'(I_RX_LOL)][sample_index[2:0]])) begin
            bank_any[sample_index[BW+2:3]] <= 1'b1;
          end
        end
        lane_level[base][sample_index[2:0]] <= flags[0];
        lane_level[base + 1][sample_index[2:0]] <= flags[1];
        lane_level[base + 2][sample_index[2:0]] <= flags[2];
        lane_level[base + 3][sample_index[2:0]] <= flags[3];
        if (flags[0]) lane_latched[base][sample_index[2:0]] <= 1'b1;
        if (flags[1]) lane_latched[base + 1][sample_index[2:0]] <= 1'b1;
        if (flags[2]) lane_latched[base + 2][sample_index[2:0]] <= 1'b1;
        if (flags[3]) lane_latched[base + 3][sample_index[2:0]] <= 1'b1;
        if (|(flags & ~{lane_mask[base + 3][sample_index[2:0]], lane_mask[base + 2][sample_index[2:0]],
                         lane_mask[base + 1][sample_index[2:0]], lane_mask[base][sample_index[2:0]]})) begin
          bank_any[sample_index[BW+2:3]] <= 1'b1;
        end
      end else if (read_done && banked_ok && read_lane_index != I_NONE) begin : lane_clear
        logic [LBW-1:0] at;
        logic [7:0] remaining;
        at = LBW'(int'(bank) * LANE_BYTES + int'(read_lane_index));
        remaining = lane_latched[at] & ~(read_value & ~lane_level[at]);
        lane_latched[at] <= remaining;
        bank_any[bank[BW-1:0]] <= bank_pending(int'(bank), int'(read_lane_index), remaining,
                                                LANE_BYTES, 8'h0);
      end else if (mask_we && mask_bank < 8'(BANKS) && lane_mask_index(mask_offset) != I_NONE) begin : mask_write
        lane_mask[LBW'(int'(mask_bank) * LANE_BYTES + int'(lane_mask_index(mask_offset)))] <= mask_data;
        bank_any[mask_bank[BW-1:0]] <= bank_pending(int'(mask_bank), LANE_BYTES, 8'h0,
                                                    int'(lane_mask_index(mask_offset)), mask_data);
      end
    end
  end
endmodule
