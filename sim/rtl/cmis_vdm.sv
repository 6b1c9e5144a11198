// CMIS Versatile Diagnostics Monitoring of one engine: VDM group 1 (pages 20h, 24h, 28h, 2Ch)
// per bank and the freeze control on page 2Fh.
//
// Every lane has eight instances, one per observable type, in the order of TYPE_IDS; instance
// k = slot * 8 + lane-in-bank of the lane's bank. Page 20h holds the descriptors (byte 0:
// threshold set id = slot in bits 7-4, lane in bank in bits 3-0; byte 1: type id), page 24h the
// samples (two bytes, big-endian, encoded per type), pages 28h/2Ch thresholds and flags (not
// modelled: read as zeros). The plant delivers samples; while the host holds a freeze (2Fh:144
// bit 7) it reads the snapshot taken when the freeze began, and 2Fh:145 bit 7 reports it done;
// bit 6 reports the release done once the host writes 0.
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
    // Host write to page 2Fh.
    input  logic        wr_en,
    input  logic [7:0]  wr_offset,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [7:0]  wr_data,  // only bit 7 (freeze) is writable
    /* verilator lint_on UNUSEDSIGNAL */
    // Reads of the selected page and bank.
    input  logic [7:0]  page,
    input  logic [7:0]  bank,
    input  logic [7:0]  query_offset,
    output logic        query_hit,
    output logic [7:0]  query_data
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

  logic [15:0] live[SAMPLES];
  logic [15:0] frozen_copy[SAMPLES];
  logic freeze, freeze_done, unfreeze_done;

  wire banked_ok = bank < 8'(BANKS);
  // Instance k of bank b lives at (b * 8 + lane in bank) * 8 + slot.
  wire [5:0] instance_k = query_offset[6:1];
  wire [SW-1:0] sample_at = SW'((int'(bank) * 8 + int'(instance_k[2:0])) * 8 + int'(instance_k[5:3]));
  wire [15:0] sample = freeze_done ? frozen_copy[sample_at] : live[sample_at];

  always_comb begin
    query_hit = query_offset[7] && page >= 8'h20 && page <= 8'h2F;
    query_data = 8'h00;
    if (page == 8'h20 && banked_ok) begin
      query_data = query_offset[0] ? TYPE_IDS[instance_k[5:3]] : {1'b0, instance_k[5:3], 1'b0, instance_k[2:0]};
    end else if (page == 8'h24 && banked_ok) begin
      query_data = query_offset[0] ? sample[7:0] : sample[15:8];
    end else if (page == 8'h2F) begin
      if (query_offset == 8'd128) query_data = 8'h00;  // bits 1-0: one VDM group
      else if (query_offset == 8'd144) query_data = {freeze, 7'h0};
      else if (query_offset == 8'd145) query_data = {freeze_done, unfreeze_done, 6'h0};
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      freeze <= 1'b0;
      freeze_done <= 1'b0;
      unfreeze_done <= 1'b0;
    end else begin
      if (sample_we && int'(sample_index[5:0]) < LANES) begin
        live[SW'(int'(sample_index[5:0]) * 8 + int'(sample_index[8:6]))] <= sample_value;
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
