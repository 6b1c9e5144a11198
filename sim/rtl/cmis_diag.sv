// CMIS diagnostics of one engine (pages 13h and 14h): PRBS pattern generators and checkers as real
// LFSRs on the host and media side of every lane, the four loopbacks that route the pattern, bit
// error injection from the plant, and BER / SNR results.
//
// Signal routing per lane (a word of W bits at a time, oldest bit in bit 0):
//   media out  = media input loopback ? media in : media generator ? its pattern : host in
//   media in'  = media output loopback ? media out : media in (fibre)
//   host out   = host input loopback ? host in : host generator ? its pattern : media in'
//   host in'   = host output loopback ? host out : host in (switch SerDes)
// The media checker checks media in', the host checker host in'. Injected errors flip bits of
// media in' and host in' at the plant's rate. Outside signals (fibre, SerDes) are absent here.
//
// One shared datapath serves the lanes in turn (state in arrays), and only while a generator,
// checker or loopback is on; otherwise the block costs nothing per clock.
//
// Checkers self-synchronise (the LFSR is loaded from received bits) until 256 bits in a row
// match, then lock and free-run: each error is counted once. A word with more than a quarter of
// its bits wrong, or no signal, drops the lock.
module cmis_diag
  import prbs_pkg::*;
#(
    parameter int BANKS = 8
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] step_cycles,   // see cpo_top: edges may stand for several core clocks
    output logic [31:0] quiet_cycles,
    // Host writes to page 13h / 14h of `wr_bank`.
    input  logic        wr13_en,
    input  logic        wr14_en,
    input  logic [7:0]  wr_bank,
    input  logic [7:0]  wr_offset,
    input  logic [7:0]  wr_data,
    // Plant: error interval (index {hi half, side (1 = media), lane}) and SNR samples.
    input  logic        error_we,
    input  logic        snr_we,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [15:0] plant_index,  // error: bits 15, 6-0; SNR: bits 7-0
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [15:0] plant_value,
    // Page 14h reads of the selected bank.
    input  logic [7:0]  bank,
    input  logic [7:0]  query_offset,
    output logic        query_hit,
    output logic [7:0]  query_data
);
  // One class for every instance: keeps the generated model small and quick to compile.
  /* verilator no_inline_module */
  localparam int LANES = BANKS * 8;
  localparam int LW = $clog2(LANES);
  // Bits a lane moves per step, and core clocks between steps: the datapath runs on a slow tick
  // so a running pattern costs the simulator one evaluation per STEP_CYCLES, not every clock.
  localparam int STEP_CYCLES = 32;

  // Per-lane controls (copies of page 13h) and state.
  logic [LANES-1:0] hg_en, mg_en, hc_en, mc_en, lb_media_out, lb_media_in, lb_host_out, lb_host_in;
  logic [3:0] hg_pat[LANES], mg_pat[LANES], hc_pat[LANES], mc_pat[LANES];
  logic [30:0] hg_state[LANES], mg_state[LANES];
  checker_t host_checker[LANES], media_checker[LANES];
  logic [31:0] host_interval[LANES], media_interval[LANES];
  logic [31:0] host_countdown[LANES], media_countdown[LANES];
  logic [15:0] interval_hi;
  logic [15:0] snr[LANES];
  logic [31:0] rng;
  logic [LW-1:0] cursor;
  // Results latched when the host writes the selector (14h:128), per bank, one lane per clock.
  logic [7:0] selector[BANKS];
  logic [15:0] result_a[LANES], result_b[LANES];
  logic results_busy;
  logic [LW-1:0] result_lane;
  logic [2:0] result_count;
  logic [7:0] result_selector;
  // Error statistics of a lane count only while its epoch matches: resetting every lane's
  // statistics is one increment, not a loop over lanes.
  logic [7:0] stats_epoch;

  wire [LANES-1:0] busy = hg_en | mg_en | hc_en | mc_en | lb_media_out | lb_media_in |
                          lb_host_out | lb_host_in;
  wire running = |busy;
  logic [31:0] until_step;
  assign quiet_cycles = results_busy ? 32'd1 : running ? until_step : 32'hFFFF_FFFF;

  wire banked_ok = bank < 8'(BANKS);
  wire [LW-1:0] lane0 = LW'(int'(bank) * 8);
  wire [7:0] sel = banked_ok ? selector[bank[$clog2(BANKS)-1:0]] : 8'h00;

  always_comb begin
    query_hit = banked_ok;
    query_data = 8'h00;
    if (query_offset == 8'd128) query_data = sel;
    else if (query_offset == 8'd136 || query_offset == 8'd137) begin
      for (int i = 0; i < 8; i++) begin
        query_data[i] = query_offset[0] ? mc_en[lane0 + LW'(i)] && !media_checker[lane0 + LW'(i)].locked
                                        : hc_en[lane0 + LW'(i)] && !host_checker[lane0 + LW'(i)].locked;
      end
    end
    else if (query_offset >= 8'd192 && query_offset <= 8'd207 && sel == 8'd1) begin
      query_data = query_offset[0] ? result_a[lane0 + LW'(query_offset[3:1])][7:0]
                                   : result_a[lane0 + LW'(query_offset[3:1])][15:8];
    end else if (query_offset >= 8'd208 && query_offset <= 8'd223 && (sel == 8'd1 || sel == 8'd6)) begin
      query_data = query_offset[0] ? result_b[lane0 + LW'(query_offset[3:1])][7:0]
                                   : result_b[lane0 + LW'(query_offset[3:1])][15:8];
    end else if (query_offset >= 8'd240 && sel == 8'd6) begin
      query_data = query_offset[0] ? result_a[lane0 + LW'(query_offset[3:1])][7:0]
                                   : result_a[lane0 + LW'(query_offset[3:1])][15:8];
    end else if (query_offset < 8'd128) begin
      query_hit = 1'b0;
    end
  end

  wire [LW-1:0] wr_lane0 = LW'(int'(wr_bank) * 8);
  wire wr_ok = wr_bank < 8'(BANKS);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      // Arrays start as zeros (--x-initial 0): generators seed themselves, counters are empty.
      hg_en <= '0;
      mg_en <= '0;
      hc_en <= '0;
      mc_en <= '0;
      lb_media_out <= '0;
      lb_media_in <= '0;
      lb_host_out <= '0;
      lb_host_in <= '0;
      rng <= 32'h1234_5678;
      cursor <= '0;
      interval_hi <= 16'h0;
      results_busy <= 1'b0;
      result_lane <= '0;
      result_count <= 3'd0;
      result_selector <= 8'h00;
      stats_epoch <= 8'd1;
      until_step <= 32'(STEP_CYCLES);
    end else begin
      if (error_we) begin
        if (plant_index[15]) interval_hi <= plant_value;
        else if (plant_index[6]) begin
          media_interval[LW'(plant_index[5:0])] <= {interval_hi, plant_value};
          media_countdown[LW'(plant_index[5:0])] <= {interval_hi, plant_value};
        end else begin
          host_interval[LW'(plant_index[5:0])] <= {interval_hi, plant_value};
          host_countdown[LW'(plant_index[5:0])] <= {interval_hi, plant_value};
        end
      end
      if (snr_we && int'(plant_index[7:0]) < LANES) snr[LW'(plant_index[7:0])] <= plant_value;

      if (wr14_en && wr_ok && wr_offset == 8'd128) begin
        selector[wr_bank[$clog2(BANKS)-1:0]] <= wr_data;
        results_busy <= 1'b1;
        result_lane <= wr_lane0;
        result_count <= 3'd0;
        result_selector <= wr_data;
      end else if (results_busy) begin : result_step
        if (result_selector == 8'd1) begin
          // A checker whose counts predate a statistics reset reports 0.
          result_a[result_lane] <= host_checker[result_lane].epoch == stats_epoch
                                   ? ber_f16(host_checker[result_lane].errors,
                                             host_checker[result_lane].bits) : 16'h0;
          result_b[result_lane] <= media_checker[result_lane].epoch == stats_epoch
                                   ? ber_f16(media_checker[result_lane].errors,
                                             media_checker[result_lane].bits) : 16'h0;
        end else begin
          // Selector 6: host SNR (208-223) and media SNR (240-255) of the lane.
          result_a[result_lane] <= snr[result_lane];
          result_b[result_lane] <= snr[result_lane];
        end
        result_lane <= result_lane + LW'(1);
        result_count <= result_count + 3'd1;
        if (result_count == 3'd7) results_busy <= 1'b0;
      end

      if (wr13_en && wr_ok) begin
        case (wr_offset)
          8'd144: hg_en[wr_lane0 +: 8] <= wr_data;
          8'd152: mg_en[wr_lane0 +: 8] <= wr_data;
          8'd160: begin
            hc_en[wr_lane0 +: 8] <= wr_data;
            for (int i = 0; i < 8; i++) begin
              host_checker[wr_lane0 + LW'(i)] <= checker_enable_write(
                  host_checker[wr_lane0 + LW'(i)], hc_en[wr_lane0 + LW'(i)], wr_data[i], stats_epoch);
            end
          end
          8'd168: begin
            mc_en[wr_lane0 +: 8] <= wr_data;
            for (int i = 0; i < 8; i++) begin
              media_checker[wr_lane0 + LW'(i)] <= checker_enable_write(
                  media_checker[wr_lane0 + LW'(i)], mc_en[wr_lane0 + LW'(i)], wr_data[i], stats_epoch);
            end
          end
          8'd177: if (wr_data[5]) stats_epoch <= stats_epoch + 8'd1;
          8'd180: lb_media_out[wr_lane0 +: 8] <= wr_data;
          8'd181: lb_media_in[wr_lane0 +: 8] <= wr_data;
          8'd182: lb_host_out[wr_lane0 +: 8] <= wr_data;
          8'd183: lb_host_in[wr_lane0 +: 8] <= wr_data;
          default:
            // Pattern nibbles: lane 1 in the low nibble of the first byte.
            for (int j = 0; j < 2; j++) begin
              if (wr_offset >= 8'd148 && wr_offset <= 8'd151) begin
                hg_pat[wr_lane0 + LW'(2 * (int'(wr_offset) - 148) + j)] <= wr_data[4 * j +: 4];
              end else if (wr_offset >= 8'd156 && wr_offset <= 8'd159) begin
                mg_pat[wr_lane0 + LW'(2 * (int'(wr_offset) - 156) + j)] <= wr_data[4 * j +: 4];
              end else if (wr_offset >= 8'd164 && wr_offset <= 8'd167) begin
                hc_pat[wr_lane0 + LW'(2 * (int'(wr_offset) - 164) + j)] <= wr_data[4 * j +: 4];
              end else if (wr_offset >= 8'd172 && wr_offset <= 8'd175) begin
                mc_pat[wr_lane0 + LW'(2 * (int'(wr_offset) - 172) + j)] <= wr_data[4 * j +: 4];
              end
            end
        endcase
      end else if (running && until_step > step_cycles) begin
        until_step <= until_step - step_cycles;
      end else if (running) begin : lane_step
        logic [LW-1:0] l;
        logic [W+30:0] g;
        logic [W-1:0] host_gen, media_gen, media_out, media_in, host_out, host_in;
        logic media_out_ok, media_in_ok, host_out_ok, host_in_ok;
        logic [W+31:0] inj;
        l = cursor;
        host_gen = '0;
        media_gen = '0;
        if (hg_en[l]) begin
          g = lfsr_word(hg_state[l], hg_pat[l][3:1]);
          hg_state[l] <= g[W+30:W];
          host_gen = gray(g[W-1:0], hg_pat[l]);
        end
        if (mg_en[l]) begin
          g = lfsr_word(mg_state[l], mg_pat[l][3:1]);
          mg_state[l] <= g[W+30:W];
          media_gen = gray(g[W-1:0], mg_pat[l]);
        end
        // The fibre and the switch SerDes bring no signal into this model.
        media_out = lb_media_in[l] ? '0 : mg_en[l] ? media_gen : '0;
        media_out_ok = !lb_media_in[l] && mg_en[l];
        media_in = lb_media_out[l] ? media_out : '0;
        media_in_ok = lb_media_out[l] && media_out_ok;
        if (media_in_ok) begin
          inj = inject(media_countdown[l], media_interval[l], rng);
          media_countdown[l] <= inj[W+31:W];
          media_in = media_in ^ inj[W-1:0];
        end
        host_out = lb_host_in[l] ? '0 : hg_en[l] ? host_gen : media_in;
        host_out_ok = !lb_host_in[l] && (hg_en[l] || media_in_ok);
        host_in = lb_host_out[l] ? host_out : '0;
        host_in_ok = lb_host_out[l] && host_out_ok;
        if (host_in_ok) begin
          inj = inject(host_countdown[l], host_interval[l], {rng[15:0], rng[31:16]});
          host_countdown[l] <= inj[W+31:W];
          host_in = host_in ^ inj[W-1:0];
        end
        rng <= (rng >> 1) ^ ({32{rng[0]}} & 32'h8020_0003);

        if (mc_en[l]) begin
          media_checker[l] <= check_word(media_checker[l], gray(media_in, mc_pat[l]), media_in_ok,
                                         mc_pat[l][3:1], stats_epoch);
        end
        if (hc_en[l]) begin
          host_checker[l] <= check_word(host_checker[l], gray(host_in, hc_pat[l]), host_in_ok,
                                        hc_pat[l][3:1], stats_epoch);
        end

        // Next lane with anything to do, after this one.
        cursor <= LW'(next_busy_lane(1024'(busy), LANES, int'(l)));
        until_step <= 32'(STEP_CYCLES);
      end
    end
  end
endmodule
