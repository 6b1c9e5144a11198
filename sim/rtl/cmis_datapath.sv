// CMIS per-lane data-path state machines of one engine (page 10h controls, page 11h status).
//
// The host writes DPDeinit (10h:128), Tx output disable (10h:130), the staged DPConfig
// (10h:145-152) and ApplyDPInit (10h:143); this block validates the staged configuration against
// the application descriptors (ConfigStatus), copies it to the active set, and moves each lane
// through Deactivated / Init / Initialized / TxTurnOn / Activated / TxTurnOff / Deinit, each timed
// transition taking the real duration the plant programmed. It serves page 11h bytes 128-131
// (DPState), 134 (DPStateChanged, latched, clear on read), 202-205 (ConfigStatus), 206-213 (active
// DPConfig) and 235 (DPInitPending).
//
// Work happens only on events: a host write, a module state change or a timer falling due marks
// the block dirty, and the next edge scans the lanes once. Between events the block reports how
// many clocks may be skipped (quiet_cycles), so a 3 s DPInit costs a handful of evaluations.
module cmis_datapath #(
    parameter int BANKS = 8,
    parameter int TICKS_PER_100US = 800
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] step_cycles,
    output logic [31:0] quiet_cycles,
    input  logic        module_ready,
    // Application descriptors (lower page 86-117): {host id, media id, lane counts, host
    // assignment options} per application, application 1 first.
    input  logic [7:0]  app_byte[32],
    // Host writes to page 10h of `wr_bank`.
    input  logic        wr_en,
    input  logic [7:0]  wr_bank,
    input  logic [7:0]  wr_offset,
    input  logic [7:0]  wr_data,
    // Real durations from the plant, 100 us units: DPInit, DPDeinit, TxTurnOn, TxTurnOff.
    input  logic        timing_we,
    input  logic [1:0]  timing_index,
    input  logic [15:0] timing_value,
    // Page 11h reads of the selected bank.
    input  logic [7:0]  bank,
    input  logic [7:0]  query_offset,
    output logic        query_hit,
    output logic [7:0]  query_data,
    input  logic        read_done,
    input  logic [7:0]  read_offset,
    input  logic [7:0]  read_value,
    output logic        changed_any,   // a DPStateChanged flag is latched (asserts IntL)
    // Plant read-back: lanes in Activated (transmitting), and a count that moves whenever that
    // set changes, so the plant's link model re-reads only engines that changed.
    output logic [BANKS*8-1:0] activated,
    output logic [15:0] activated_changes
);
  // One class for every instance: keeps the generated model small and quick to compile.
  /* verilator no_inline_module */
  localparam int LANES = BANKS * 8;
  localparam int LW = $clog2(LANES);
  // Lane states, stored as the CMIS DPState code minus one so that zero is Deactivated.
  localparam logic [3:0] DEACTIVATED = 4'd0, INIT = 4'd1, DEINIT = 4'd2, ACTIVATED = 4'd3,
                         TX_TURN_ON = 4'd4, TX_TURN_OFF = 4'd5, INITIALIZED = 4'd6;
  // ConfigStatus codes.
  localparam logic [3:0] CS_SUCCESS = 4'd1, CS_INVALID_APPSEL = 4'd3, CS_INVALID_DP = 4'd4,
                         CS_PARTIAL_DP = 4'd7;
  localparam logic [63:0] NEVER = '1;

  logic [3:0] state[LANES];
  logic [63:0] deadline[LANES];
  logic [7:0] staged[LANES];
  logic [7:0] active_config[LANES];
  logic [3:0] config_status[LANES];
  logic [LANES-1:0] init_pending, changed, deinit, tx_disable;
  logic [15:0] duration_100us[4];
  logic [63:0] now, next_due;
  logic dirty, was_ready;
  // Lane scans: one lane per clock, so no state array is written in a loop. An event during a
  // scan asks for another pass.
  logic scanning, rescan;
  logic [LW-1:0] scan_lane;
  logic [63:0] scan_earliest;

  function automatic logic [63:0] ticks(input logic [15:0] units_100us);
    return (units_100us == 16'd0) ? 64'd1 : 64'(units_100us) * 64'(TICKS_PER_100US);
  endfunction

  function automatic logic timed(input logic [3:0] s);
    return s == INIT || s == DEINIT || s == TX_TURN_ON || s == TX_TURN_OFF;
  endfunction

  // Applications advertised: descriptors up to the first unused one (host id 0x00 or 0xFF).
  function automatic logic [3:0] app_count();
    logic [3:0] n;
    logic stop;
    n = 4'd0;
    stop = 1'b0;
    for (int a = 0; a < 8; a++) begin
      if (app_byte[4 * a] == 8'h00 || app_byte[4 * a] == 8'hFF) stop = 1'b1;
      if (!stop) n = n + 4'd1;
    end
    return n;
  endfunction

  // ConfigStatus for lane `i` (0..7 of bank `b`) when ApplyDPInit covers `mask`.
  function automatic logic [3:0] validate(input int b, input int i, input logic [7:0] mask);
    logic [7:0] cfg;
    logic [3:0] appsel;
    logic [2:0] first;
    int host_lanes;
    cfg = staged[b * 8 + i];
    appsel = cfg[7:4];
    first = cfg[3:1];
    if (appsel == 4'd0) return CS_SUCCESS;  // lane unused
    if (appsel > app_count()) return CS_INVALID_APPSEL;
    host_lanes = int'(app_byte[4 * (int'(appsel) - 1) + 2][7:4]);
    // DataPathID is the data path's first lane; the application must allow starting there and
    // the whole data path must fit, be configured alike and be applied together.
    if (host_lanes == 0 || !app_byte[4 * (int'(appsel) - 1) + 3][first] ||
        int'(first) + host_lanes > 8 || i < int'(first) || i >= int'(first) + host_lanes) begin
      return CS_INVALID_DP;
    end
    for (int k = int'(first); k < int'(first) + host_lanes; k++) begin
      if (staged[b * 8 + k] != cfg || !mask[k]) return CS_PARTIAL_DP;
    end
    return CS_SUCCESS;
  endfunction

  always_comb begin
    quiet_cycles = 32'hFFFF_FFFF;
    if (dirty || scanning) quiet_cycles = 32'd1;
    else if (next_due != NEVER) begin
      quiet_cycles = (next_due > now + 64'd1) ? ((next_due - now > 64'hFFFF_FFFE) ? 32'hFFFF_FFFE
                                                 : 32'(next_due - now)) : 32'd1;
    end
  end

  wire banked_ok = bank < 8'(BANKS);
  wire [LW-1:0] lane0 = LW'(int'(bank) * 8);

  always_comb begin
    query_hit = banked_ok;
    query_data = 8'h00;
    if (query_offset >= 8'd128 && query_offset <= 8'd131) begin
      query_data = {state[lane0 + LW'(2 * (int'(query_offset) - 128) + 1)] + 4'd1,
                    state[lane0 + LW'(2 * (int'(query_offset) - 128))] + 4'd1};
    end else if (query_offset == 8'd132 || query_offset == 8'd133) begin
      // Tx and Rx output status (mandatory): an output is on while its data path is Activated.
      query_data = activated[lane0 +: 8];
    end else if (query_offset == 8'd134) begin
      query_data = changed[lane0 +: 8];
    end else if (query_offset >= 8'd202 && query_offset <= 8'd205) begin
      query_data = {config_status[lane0 + LW'(2 * (int'(query_offset) - 202) + 1)],
                    config_status[lane0 + LW'(2 * (int'(query_offset) - 202))]};
    end else if (query_offset >= 8'd206 && query_offset <= 8'd213) begin
      query_data = active_config[lane0 + LW'(query_offset - 8'd206)];
    end else if (query_offset == 8'd235) begin
      query_data = init_pending[lane0 +: 8];
    end else begin
      query_hit = 1'b0;
    end
  end

  logic [LANES-1:0] changed_mask;  // 10h:213, bit/lane: latches but does not assert IntL
  assign changed_any = |(changed & ~changed_mask);

  wire [LW-1:0] wr_lane0 = LW'(int'(wr_bank) * 8);
  wire wr_ok = wr_en && wr_bank < 8'(BANKS);

  // Lane scans: one lane per clock, so no state array is written in a loop. An event during a
  // scan asks for another pass.

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      // The arrays start as zeros (the model is built with --x-initial 0): state code 0 is
      // Deactivated (CMIS code = state + 1), configurations empty.
      init_pending <= '0;
      changed <= '0;
      // Lanes power up held in DPDeinit with their outputs disabled: nothing lights up until
      // the host has configured and released them.
      deinit <= '1;
      tx_disable <= '1;
      changed_mask <= '0;
      activated <= '0;
      activated_changes <= 16'd0;
      for (int k = 0; k < 4; k++) duration_100us[k] <= 16'd1;
      now <= 64'd0;
      next_due <= NEVER;
      dirty <= 1'b0;
      was_ready <= 1'b0;
      scanning <= 1'b0;
      rescan <= 1'b0;
      scan_lane <= '0;
      scan_earliest <= NEVER;
    end else begin : run
      logic [63:0] t;
      t = now + 64'(step_cycles);
      now <= t;
      was_ready <= module_ready;
      dirty <= (module_ready != was_ready) || (next_due != NEVER && next_due <= t + 64'd1);
      if (timing_we) duration_100us[timing_index] <= timing_value;

      // Clear on read: DPStateChanged bits the host has seen. The scan below comes later, so a
      // flag set on the same edge wins over the clear.
      if (read_done && banked_ok && read_offset == 8'd134) begin
        changed[lane0 +: 8] <= changed[lane0 +: 8] & ~read_value;
      end

      if (dirty && !scanning) begin
        scanning <= 1'b1;
        rescan <= 1'b0;
        scan_lane <= '0;
        scan_earliest <= NEVER;
        next_due <= NEVER;
      end else if (dirty) begin
        rescan <= 1'b1;
      end

      if (scanning) begin : scan
        logic [3:0] s, previous;
        logic [63:0] due, earliest;
        s = state[scan_lane];
        previous = s;
        due = deadline[scan_lane];
        if (!module_ready) begin
          s = DEACTIVATED;
        end else begin
          if (timed(s) && due <= t) begin
            case (s)
              INIT: s = INITIALIZED;
              DEINIT: s = DEACTIVATED;
              TX_TURN_ON: s = ACTIVATED;
              default: s = INITIALIZED;  // TX_TURN_OFF
            endcase
          end
          if (!timed(s)) begin
            if (s == DEACTIVATED && !deinit[scan_lane] && active_config[scan_lane][7:4] != 4'd0) begin
              s = INIT;
              due = t + ticks(duration_100us[0]);
              init_pending[scan_lane] <= 1'b0;
            end else if ((s == INITIALIZED || s == ACTIVATED) &&
                         (deinit[scan_lane] || active_config[scan_lane][7:4] == 4'd0)) begin
              s = DEINIT;
              due = t + ticks(duration_100us[1]);
            end else if (s == INITIALIZED && !tx_disable[scan_lane]) begin
              s = TX_TURN_ON;
              due = t + ticks(duration_100us[2]);
            end else if (s == ACTIVATED && tx_disable[scan_lane]) begin
              s = TX_TURN_OFF;
              due = t + ticks(duration_100us[3]);
            end
          end
        end
        // The flag marks arrival in a steady state the lane was not in before.
        if (s != previous && !timed(s)) changed[scan_lane] <= 1'b1;
        state[scan_lane] <= s;
        if ((s == ACTIVATED) != activated[scan_lane]) begin
          activated[scan_lane] <= s == ACTIVATED;
          activated_changes <= activated_changes + 16'd1;
        end
        deadline[scan_lane] <= due;
        earliest = (timed(s) && due < scan_earliest) ? due : scan_earliest;
        scan_earliest <= earliest;
        scan_lane <= scan_lane + LW'(1);
        if (scan_lane == LW'(LANES - 1)) begin
          // Another pass if anything happened meanwhile; else sleep until the earliest timer.
          scanning <= rescan || dirty;
          rescan <= 1'b0;
          scan_earliest <= NEVER;
          if (!(rescan || dirty)) next_due <= earliest;
        end
      end

      // Host writes come last: what the host asks for on this edge wins.
      if (wr_ok) begin
        dirty <= 1'b1;
        case (wr_offset)
          8'd128: deinit[wr_lane0 +: 8] <= wr_data;
          8'd130: tx_disable[wr_lane0 +: 8] <= wr_data;
          8'd213: changed_mask[wr_lane0 +: 8] <= wr_data;
          8'd143: begin
            for (int i = 0; i < 8; i++) begin
              if (wr_data[i]) begin
                logic [3:0] status;
                status = validate(int'(wr_bank), i, wr_data);
                config_status[wr_lane0 + LW'(i)] <= status;
                if (status == CS_SUCCESS) begin
                  active_config[wr_lane0 + LW'(i)] <= staged[wr_lane0 + LW'(i)];
                  // A configured lane waits in Deactivated for DPDeinit to clear; one already
                  // running re-initializes with the new configuration.
                  if (state[wr_lane0 + LW'(i)] == DEACTIVATED) begin
                    init_pending[wr_lane0 + LW'(i)] <= staged[wr_lane0 + LW'(i)][7:4] != 4'd0;
                  end else begin
                    state[wr_lane0 + LW'(i)] <= INIT;
                    activated[wr_lane0 + LW'(i)] <= 1'b0;
                    activated_changes <= activated_changes + 16'd1;
                    deadline[wr_lane0 + LW'(i)] <= t + ticks(duration_100us[0]);
                  end
                end
              end
            end
          end
          default:
            if (wr_offset >= 8'd145 && wr_offset <= 8'd152) begin
              staged[wr_lane0 + LW'(wr_offset - 8'd145)] <= wr_data;
            end
        endcase
      end
    end
  end
endmodule
