// PRBS building blocks shared by the engines' CMIS diagnostics and the switch SerDes: LFSR
// pattern words (PRBS7..31 and their Gray-coded PAM4 "Q" forms by CMIS pattern code), a
// self-synchronising checker that locks and then counts errors, and random bit-error injection.
// Everything moves W bits of one lane at a time.
package prbs_pkg;
  localparam int W = 128;
  localparam int LOCK_WORDS = 4;

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

  // The shared datapath's scheduler: the next lane after `current` (wrapping) whose bit is set in
  // `busy`, of `lanes` lanes; `current` itself when no other is.
  function automatic int next_busy_lane(input logic [1023:0] busy, input int lanes,
                                        input int current);
    int next;
    next = current;
    for (int k = lanes - 1; k >= 1; k--) begin
      if (busy[(current + k) % lanes]) next = (current + k) % lanes;
    end
    return next;
  endfunction
endpackage
