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
module cmis_diag #(
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
  localparam int W = 128;
  localparam int STEP_CYCLES = 32;
  localparam int LOCK_WORDS = 4;

  // Per-lane controls (copies of page 13h) and state.
  logic [LANES-1:0] hg_en, mg_en, hc_en, mc_en, lb_media_out, lb_media_in, lb_host_out, lb_host_in;
  logic [3:0] hg_pat[LANES], mg_pat[LANES], hc_pat[LANES], mc_pat[LANES];
  logic [30:0] hg_state[LANES], mg_state[LANES];
  // A checker: its LFSR, lock, the run of good words while it acquires, and its counts (valid
  // while `epoch` matches stats_epoch). Zero is a checker that was never started.
  typedef struct packed {
    logic [30:0] state;
    logic        locked;
    logic [2:0]  run;
    logic [47:0] bits;
    logic [39:0] errors;
    logic [7:0]  epoch;
  } checker_t;
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

  // Feedback taps (bit k-1 for each term x^k) and state width of a pattern code's base PRBS.
  function automatic logic [30:0] taps(input logic [2:0] base);
    case (base)
      3'd0: return 31'h4800_0000;  // PRBS31: x^31 + x^28 + 1
      3'd1: return 31'h0042_0000;  // PRBS23: x^23 + x^18 + 1
      3'd2: return 31'h0000_6000;  // PRBS15: x^15 + x^14 + 1
      3'd3: return 31'h0000_1803;  // PRBS13: x^13 + x^12 + x^2 + x + 1
      3'd4: return 31'h0000_0110;  // PRBS9: x^9 + x^5 + 1
      3'd5: return 31'h0000_0060;  // PRBS7: x^7 + x^6 + 1
      default: return 31'h0;       // SSPRQ and reserved: not supported
    endcase
  endfunction
  function automatic logic [30:0] width_mask(input logic [2:0] base);
    case (base)
      3'd0: return 31'h7FFF_FFFF;
      3'd1: return 31'h007F_FFFF;
      3'd2: return 31'h0000_7FFF;
      3'd3: return 31'h0000_1FFF;
      3'd4: return 31'h0000_01FF;
      3'd5: return 31'h0000_007F;
      default: return 31'h0;
    endcase
  endfunction
  // Even codes are the PAM4 ("Q") variants: bit pairs Gray-coded. The mapping is its own inverse.
  function automatic logic [W-1:0] gray(input logic [W-1:0] word, input logic [3:0] code);
    /* verilator lint_off UNUSEDSIGNAL */
    logic [3:0] unused_code;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [W-1:0] out;
    out = word;
    unused_code = code;
    if (!code[0]) begin
      for (int j = 0; j < W / 2; j++) out[2 * j + 1] = word[2 * j] ^ word[2 * j + 1];
    end
    return out;
  endfunction

  // W bits of a Fibonacci LFSR: returns {next state, word}.
  function automatic logic [W+30:0] lfsr_word(input logic [30:0] state, input logic [2:0] base);
    logic [30:0] s, t, m;
    logic [W-1:0] word;
    logic b;
    t = taps(base);
    m = width_mask(base);
    s = (state & m) == 31'h0 ? m : state;  // an LFSR never starts from all zeros
    for (int i = 0; i < W; i++) begin
      b = ^(s & t);
      word[i] = b;
      s = ((s << 1) | 31'(b)) & m;
    end
    return {s, word};
  endfunction

  // Self-synchronising check: predicted bits from the received history; returns
  // {state after, all matched}.
  function automatic logic [31:0] self_sync(input logic [30:0] state, input logic [W-1:0] word,
                                            input logic [2:0] base);
    logic [30:0] s, t, m;
    logic ok;
    s = state;
    t = taps(base);
    m = width_mask(base);
    ok = 1'b1;
    for (int i = 0; i < W; i++) begin
      if ((^(s & t)) != word[i]) ok = 1'b0;
      s = ((s << 1) | 31'(word[i])) & m;
    end
    return {s, ok && s != 31'h0};
  endfunction

  function automatic logic [7:0] popcount(input logic [W-1:0] word);
    logic [7:0] n;
    n = 8'd0;
    for (int i = 0; i < W; i++) n = n + 8'(word[i]);
    return n;
  endfunction

  // One word through a checker: acquire by self-synchronising, then count errors while locked.
  function automatic checker_t check_word(input checker_t c, input logic [W-1:0] word,
                                          input logic signal, input logic [2:0] base,
                                          input logic [7:0] epoch);
    checker_t n;
    logic [W+30:0] g;
    logic [31:0] sync;
    logic [7:0] wrong;
    n = c;
    if (!signal) begin
      n.locked = 1'b0;
      n.run = 3'd0;
    end else if (c.locked) begin
      g = lfsr_word(c.state, base);
      n.state = g[W+30:W];
      wrong = popcount(g[W-1:0] ^ word);
      // After a statistics reset (new epoch) the count starts again from this word.
      n.bits = (c.epoch == epoch ? c.bits : 48'd0) + 48'(W);
      n.errors = (c.epoch == epoch ? c.errors : 40'd0) + 40'(wrong);
      n.epoch = epoch;
      if (wrong > 8'(W / 4)) n.locked = 1'b0;
    end else begin
      sync = self_sync(c.state, word, base);
      n.state = sync[31:1];
      n.run = sync[0] ? c.run + 3'd1 : 3'd0;
      if (sync[0] && int'(c.run) + 1 >= LOCK_WORDS) n.locked = 1'b1;
    end
    return n;
  endfunction

  // A write to a checker-enable byte: a checker switched on starts a fresh measurement; any
  // write makes the others re-acquire lock (their counts stay).
  function automatic checker_t checker_enable_write(input checker_t c, input logic was_on,
                                                    input logic on, input logic [7:0] epoch);
    checker_t n;
    n = c;
    n.locked = 1'b0;
    if (on && !was_on) n = '{state: '0, locked: 1'b0, run: 3'd0, bits: '0, errors: '0, epoch: epoch};
    return n;
  endfunction

  // CMIS F16 of errors / bits: mantissa bits 10-0, exponent bits 15-11, value m * 10^(e - 24).
  function automatic logic [15:0] ber_f16(input logic [39:0] errors, input logic [47:0] bits);
    logic [127:0] limit, pow;
    logic [10:0] mantissa;
    int digits;
    if (errors == 40'd0 || bits == 48'd0) return 16'h0000;
    limit = 128'(bits) * 128'd2048;
    pow = 128'd1;
    digits = 0;
    for (int d = 1; d <= 24; d++) begin
      if (128'(errors) * pow * 128'd10 < limit) begin
        pow = pow * 128'd10;
        digits = d;
      end
    end
    mantissa = 11'(128'(errors) * pow / 128'(bits));
    return {5'(24 - digits), mantissa};
  endfunction

  // Bit error injection: one flipped bit per gap of about `interval` bits (uniform in
  // [interval/2, 3*interval/2); the plant keeps interval >= 2W). Returns {new countdown, mask}.
  function automatic logic [W+31:0] inject(input logic [31:0] countdown, input logic [31:0] interval,
                                           input logic [31:0] random);
    logic [W-1:0] mask;
    mask = '0;
    if (interval == 32'd0) return {countdown, mask};
    if (countdown <= 32'(W)) begin
      mask[countdown[6:0] - 7'd1] = 1'b1;
      return {countdown + (interval >> 1) + random % interval - 32'(W), mask};
    end
    return {countdown - 32'(W), mask};
  endfunction

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
        logic [LW-1:0] l, next;
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
        next = l;
        for (int k = LANES - 1; k >= 1; k--) begin
          if (busy[LW'(int'(l) + k)]) next = LW'(int'(l) + k);
        end
        cursor <= next;
        until_step <= 32'(STEP_CYCLES);
      end
    end
  end
endmodule
