// CMIS Versatile Diagnostics Monitoring of one engine: VDM group 1 (pages 20h, 24h, 28h, 2Ch)
// per bank and the freeze control on page 2Fh.
//
// Every lane has eight instances, one per observable type, in the order of TYPE_IDS; instance
// k = slot * 8 + lane-in-bank of the lane's bank. Page 20h holds the descriptors (byte 0:
// threshold set id = slot in bits 7-4, lane in bank in bits 3-0; byte 1: type id), page 24h the
// samples (two bytes, big-endian, encoded per type), page 28h the module's threshold sets (set s
// at 128 + 8s: high alarm, low alarm, high warning, low warning, encoded as the samples), page 2Ch
// the latched flags (instance k in byte 128 + k/2, nibble k%2: bit 0 high alarm, 1 low alarm,
// 2 high warning, 3 low warning; clear on read, a persisting condition stays), page 2Dh their
// masks in the same layout (read-write, 1 = masked). A sample is compared when it arrives; the
// link-quality and light observables (eSNR, BER, ELS input) count only while the lane's data path
// is Activated, laser age and temperature always. A latched flag that its mask leaves open holds
// IntL (intl), as page 11h's do; a masked one still latches. The plant delivers samples; while the host
// holds a freeze (2Fh:144 bit 7) it reads the snapshot taken when the freeze began, and 2Fh:145
// bit 7 reports it done; bit 6 reports the release done once the host writes 0.
module cmis_vdm #(
    parameter int BANKS = 8
) (
    input  logic        clk,
    input  logic        rst_n,
    // Plant sample: index {slot [8:6], lane [5:0]}.
    input  logic        sample_we,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [15:0] sample_index,  // bits 15-9 unused
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [15:0] sample_value,
    input  logic [BANKS*8-1:0] lanes_activated,
    // Host write to page 2Fh (only bit 7 of 144, the freeze, is writable) and to page 2Dh (masks)
    // of the selected bank.
    input  logic        wr_en,
    input  logic        mask_wr_en,
    input  logic [7:0]  wr_offset,
    input  logic [7:0]  wr_data,
    // Reads of the selected page and bank.
    input  logic [7:0]  page,
    input  logic [7:0]  bank,
    input  logic [7:0]  query_offset,
    output logic        query_hit,
    output logic [7:0]  query_data,
    // The byte the host just read (clears the flags it reported).
    input  logic        read_done,
    input  logic [7:0]  read_offset,
    input  logic [7:0]  read_value,
    // An unmasked VDM flag is latched.
    output logic        intl
);
  // One class for every instance: keeps the generated model small and quick to compile.
  /* verilator no_inline_module */
  localparam int LANES = BANKS * 8;
  localparam int SAMPLES = LANES * 8;
  localparam int SW = $clog2(SAMPLES);
  // Laser age, laser temperature, eSNR media, pre-FEC BER of the media side: minimum (9),
  // maximum (11), average (13), current value (15) (the host side's are 10, 12, 14, 16), ELS
  // input power.
  localparam logic [7:0] TYPE_IDS[8] = '{8'd1, 8'd4, 8'd5, 8'd9, 8'd11, 8'd13, 8'd15, 8'd84};

  // Threshold set of each slot: {high alarm, low alarm, high warning, low warning}, encoded as
  // the slot's samples: laser age (u16 %), laser temperature (s16 1/256 C), eSNR (u16 1/256 dB),
  // pre-FEC BER (F16; alarm 1e-4, warning 1e-5), ELS input (s16 0.01 dBm). A low threshold of 0 on
  // an unsigned slot never trips.
  localparam logic [15:0] THRESHOLDS[8][4] = '{
      '{16'd90, 16'd0, 16'd80, 16'd0},
      '{16'h5500, 16'hFB00, 16'h5000, 16'h0000},
      '{16'd10240, 16'd3072, 16'd9728, 16'd3584},
      '{16'h8BE8, 16'h0000, 16'h83E8, 16'h0000},
      '{16'h8BE8, 16'h0000, 16'h83E8, 16'h0000},
      '{16'h8BE8, 16'h0000, 16'h83E8, 16'h0000},
      '{16'h8BE8, 16'h0000, 16'h83E8, 16'h0000},
      '{16'd2000, 16'd0, 16'd1800, 16'd200}};
  localparam logic [7:0] SIGNED_SLOTS = 8'b1000_0010;  // laser temperature, ELS input

  logic [15:0] live[SAMPLES];
  logic [3:0] level[SAMPLES], latched[SAMPLES];  // {LW, HW, LA, HA} per sample
  logic [3:0] masked[SAMPLES];  // page 2Dh, the same layout
  logic [15:0] frozen_copy[SAMPLES];
  logic freeze, freeze_done, unfreeze_done;

  wire banked_ok = bank < 8'(BANKS);
  // Instance k of bank b lives at (b * 8 + lane in bank) * 8 + slot.
  wire [5:0] instance_k = query_offset[6:1];
  wire [SW-1:0] sample_at = SW'((int'(bank) * 8 + int'(instance_k[2:0])) * 8 + int'(instance_k[5:3]));
  wire [15:0] sample = freeze_done ? frozen_copy[sample_at] : live[sample_at];
  // Page 2Ch (and 2Dh) byte 128 + b: instances 2b (low nibble) and 2b + 1 of the bank.
  function automatic logic [SW-1:0] flag_index(input logic [4:0] byte_in_page, input int half);
    int k;
    k = int'(byte_in_page) * 2 + half;
    return SW'((int'(bank) * 8 + k % 8) * 8 + k / 8);
  endfunction
  wire flag_offset_ok = query_offset >= 8'd128 && query_offset < 8'd160;

  // {LW, HW, LA, HA} of `value` against slot `slot`'s thresholds.
  function automatic logic [3:0] compare(input logic [2:0] slot, input logic [15:0] value);
    logic [15:0] t[4];
    t = THRESHOLDS[slot];
    if (SIGNED_SLOTS[slot]) begin
      return {$signed(value) < $signed(t[3]), $signed(value) > $signed(t[2]),
              $signed(value) < $signed(t[1]), $signed(value) > $signed(t[0])};
    end
    return {value < t[3], value > t[2], value < t[1], value > t[0]};
  endfunction

  always_comb begin
    query_hit = query_offset[7] && page >= 8'h20 && page <= 8'h2F;
    query_data = 8'h00;
    if (page == 8'h20 && banked_ok) begin
      query_data = query_offset[0] ? TYPE_IDS[instance_k[5:3]] : {1'b0, instance_k[5:3], 1'b0, instance_k[2:0]};
    end else if (page == 8'h24 && banked_ok) begin
      query_data = query_offset[0] ? sample[7:0] : sample[15:8];
    end else if (page == 8'h28 && banked_ok && query_offset < 8'd192) begin
      query_data = query_offset[0] ? THRESHOLDS[int'(query_offset[5:3])][int'(query_offset[2:1])][7:0]
                                   : THRESHOLDS[int'(query_offset[5:3])][int'(query_offset[2:1])][15:8];
    end else if (page == 8'h2C && banked_ok && flag_offset_ok) begin
      query_data = {latched[flag_index(query_offset[4:0], 1)], latched[flag_index(query_offset[4:0], 0)]};
    end else if (page == 8'h2D && banked_ok && flag_offset_ok) begin
      query_data = {masked[flag_index(query_offset[4:0], 1)], masked[flag_index(query_offset[4:0], 0)]};
    end else if (page == 8'h2F) begin
      if (query_offset == 8'd128) query_data = 8'h00;  // bits 1-0: one VDM group
      else if (query_offset == 8'd144) query_data = {freeze, 7'h0};
      else if (query_offset == 8'd145) query_data = {freeze_done, unfreeze_done, 6'h0};
    end
  end

  always_comb begin
    intl = 1'b0;
    for (int i = 0; i < SAMPLES; i++) intl = intl || (latched[i] & ~masked[i]) != 4'b0000;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      freeze <= 1'b0;
      // masked, like latched, powers up as zeros (the model is built with --x-initial 0).
      freeze_done <= 1'b0;
      unfreeze_done <= 1'b0;
    end else begin
      if (sample_we && int'(sample_index[5:0]) < LANES) begin : sample_in
        logic [SW-1:0] at;
        logic [3:0] flags;
        int slot;
        slot = int'(sample_index[8:6]);
        at = SW'(int'(sample_index[5:0]) * 8 + slot);
        live[at] <= sample_value;
        flags = compare(sample_index[8:6], sample_value);
        if (slot >= 2 && !lanes_activated[sample_index[5:0]]) flags = 4'b0000;
        level[at] <= flags;
        latched[at] <= latched[at] | flags;
      end else if (read_done && page == 8'h2C && banked_ok && read_offset >= 8'd128 &&
                   read_offset < 8'd160) begin : clear
        logic [SW-1:0] lo, hi;
        lo = SW'((int'(bank) * 8 + (int'(read_offset[4:0]) * 2) % 8) * 8 + (int'(read_offset[4:0]) * 2) / 8);
        hi = SW'((int'(bank) * 8 + (int'(read_offset[4:0]) * 2 + 1) % 8) * 8 +
                 (int'(read_offset[4:0]) * 2 + 1) / 8);
        latched[lo] <= latched[lo] & ~(read_value[3:0] & ~level[lo]);
        latched[hi] <= latched[hi] & ~(read_value[7:4] & ~level[hi]);
      end
      if (mask_wr_en && banked_ok && wr_offset >= 8'd128 && wr_offset < 8'd160) begin
        masked[flag_index(wr_offset[4:0], 0)] <= wr_data[3:0];
        masked[flag_index(wr_offset[4:0], 1)] <= wr_data[7:4];
      end
      if (wr_en && wr_offset == 8'd144) begin
        freeze <= wr_data[7];
        if (wr_data[7] && !freeze) begin
          // A one-off copy when the freeze begins (blocking: Verilator copies arrays in loops
          // only that way); nothing reads frozen_copy on this edge.
          /* verilator lint_off BLKSEQ */
          for (int i = 0; i < SAMPLES; i++) frozen_copy[i] = live[i];
          /* verilator lint_on BLKSEQ */
        end
      end
      // The snapshot is complete one clock after the request, and so is its release: UnfreezeDone
      // (bit 6) says live samples are back, until the next freeze request.
      freeze_done <= freeze;
      if (freeze) unfreeze_done <= 1'b0;
      else if (freeze_done) unfreeze_done <= 1'b1;
    end
  end
endmodule
