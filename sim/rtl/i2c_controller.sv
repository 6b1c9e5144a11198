// I2C controller of the CPO management block. Transfers are modelled at byte level: each phase
// (START, address byte, data byte, repeated START, STOP) holds the controller busy for its bit
// times (9 bits per byte incl. ACK) counted in core clocks, so simulated time matches the wire.
// Register map: docs/register-map.md.
module i2c_controller #(
    parameter int CORE_KHZ = 8000
) (
    input  logic        clk,
    input  logic        rst_n,
    // Core clocks this edge stands for (1 normally). The harness may pass up to quiet_cycles so
    // idle bit times cost one evaluation; events only ever happen on single-cycle edges.
    input  logic [31:0] step_cycles,
    output logic [31:0] quiet_cycles,
    // Register window of this controller (offset within its 4 KiB window).
    input  logic        reg_wr,
    input  logic [11:0] reg_offset,
    input  logic [31:0] reg_wdata,
    output logic [31:0] reg_rdata,
    output logic        done_event,   // one-cycle pulse when a transfer finishes
    output logic        active,       // a transfer is in progress (the clock changes state)
    // Byte-level bus towards the targets; strobes last one clock.
    output logic        t_start,      // address byte complete: t_addr, t_rnw valid
    output logic [6:0]  t_addr,
    output logic        t_rnw,
    output logic        t_write,      // data byte t_wdata complete
    output logic [7:0]  t_wdata,
    output logic        t_read,       // data byte complete: sample t_rdata
    output logic        t_stop,
    input  logic        t_ack,
    input  logic [7:0]  t_rdata,
    input  logic        t_stretch     // a target holds SCL low
);
  typedef enum logic [2:0] {
    IDLE, START, ADDR_W, WDATA, RSTART, ADDR_R, RDATA, STOP
  } phase_t;

  localparam logic [11:0] CTRL = 12'h000, TARGET = 12'h004, WLEN = 12'h008, RLEN = 12'h00C,
                          CMD = 12'h010, STATUS = 12'h014, TIMEOUT = 12'h018;
  localparam logic [15:0] DEFAULT_DIV = 16'(CORE_KHZ / 100);  // 100 kHz
  localparam logic [31:0] DEFAULT_TIMEOUT = 32'(CORE_KHZ * 25);  // 25 ms

  logic [31:0] wbuf[64];
  logic [31:0] rbuf[64];
  logic [15:0] clk_div;
  logic [6:0]  target;
  logic [8:0]  wlen, rlen, idx;
  logic [31:0] timeout_cycles, hold_cycles;
  logic        done, nack, timed_out;
  phase_t      phase;
  logic [23:0] remaining;  // clock edges until this phase ends, this one included

  wire busy = (phase != IDLE);
  assign active = busy || done_event;
  wire phase_end = busy && !t_stretch && remaining == 24'd1;

  always_comb begin
    if (!busy) quiet_cycles = 32'hFFFF_FFFF;
    else if (t_stretch) quiet_cycles = (hold_cycles + 32'd1 >= timeout_cycles) ? 32'd1
                                                                : timeout_cycles - hold_cycles;
    else quiet_cycles = (remaining > 24'd1) ? {8'h0, remaining - 24'd1} : 32'd1;
  end
  wire in_window_w = reg_offset[11:8] == 4'h4;
  wire in_window_r = reg_offset[11:8] == 4'h8;

  assign t_addr = target;
  assign t_rnw = (phase == ADDR_R);
  assign t_start = phase_end && (phase == ADDR_W || phase == ADDR_R);
  assign t_write = phase_end && phase == WDATA;
  assign t_read = phase_end && phase == RDATA;
  assign t_stop = phase_end && phase == STOP;
  assign t_wdata = wbuf[idx[7:2]][{idx[1:0], 3'b000} +: 8];

  always_comb begin
    reg_rdata = 32'h0;
    if (in_window_w) reg_rdata = wbuf[reg_offset[7:2]];
    else if (in_window_r) reg_rdata = rbuf[reg_offset[7:2]];
    else begin
      case (reg_offset)
        CTRL: reg_rdata = {16'h0, clk_div};
        TARGET: reg_rdata = {25'h0, target};
        WLEN: reg_rdata = {23'h0, wlen};
        RLEN: reg_rdata = {23'h0, rlen};
        STATUS: reg_rdata = {7'h0, idx, 12'h0, timed_out, nack, done, busy};
        TIMEOUT: reg_rdata = timeout_cycles;
        default: reg_rdata = 32'h0;
      endcase
    end
  end

  // Starts a phase of one bit time, or of a byte's nine.
  task automatic enter(input phase_t next, input logic byte_phase);
    phase <= next;
    remaining <= byte_phase ? ({8'h0, clk_div} << 3) + {8'h0, clk_div} : {8'h0, clk_div};
  endtask

  always_ff @(posedge clk) begin
    done_event <= 1'b0;
    if (!rst_n) begin
      clk_div <= DEFAULT_DIV;
      target <= 7'h0;
      wlen <= 9'h0;
      rlen <= 9'h0;
      idx <= 9'h0;
      timeout_cycles <= DEFAULT_TIMEOUT;
      hold_cycles <= 32'h0;
      done <= 1'b0;
      nack <= 1'b0;
      timed_out <= 1'b0;
      phase <= IDLE;
      remaining <= 24'h0;
    end else if (!busy) begin
      if (reg_wr) begin
        if (in_window_w) wbuf[reg_offset[7:2]] <= reg_wdata;
        case (reg_offset)
          CTRL: clk_div <= (reg_wdata[15:0] < 16'd2) ? 16'd2 : reg_wdata[15:0];
          TARGET: target <= reg_wdata[6:0];
          WLEN: wlen <= (reg_wdata[15:0] > 16'd256) ? 9'd256 : reg_wdata[8:0];
          RLEN: rlen <= (reg_wdata[15:0] > 16'd256) ? 9'd256 : reg_wdata[8:0];
          TIMEOUT: timeout_cycles <= reg_wdata;
          CMD: if (reg_wdata[0]) begin
            done <= 1'b0;
            nack <= 1'b0;
            timed_out <= 1'b0;
            idx <= 9'h0;
            hold_cycles <= 32'h0;
            enter(START, 1'b0);
          end
          default: ;
        endcase
      end
    end else if (t_stretch) begin
      hold_cycles <= hold_cycles + step_cycles;
      if (hold_cycles >= timeout_cycles) begin
        timed_out <= 1'b1;
        done <= 1'b1;
        done_event <= 1'b1;
        phase <= IDLE;
      end
    end else if (remaining != 24'd1) begin
      remaining <= remaining - step_cycles[23:0];
    end else begin
      case (phase)
        START: enter((wlen == 9'd0 && rlen != 9'd0) ? ADDR_R : ADDR_W, 1'b1);
        ADDR_W:
          if (!t_ack) begin
            nack <= 1'b1;
            enter(STOP, 1'b0);
          end else if (wlen != 9'd0) enter(WDATA, 1'b1);
          else enter(STOP, 1'b0);
        WDATA:
          if (!t_ack) begin
            nack <= 1'b1;
            enter(STOP, 1'b0);
          end else if (idx + 9'd1 == wlen) begin
            idx <= (rlen != 9'd0) ? 9'd0 : idx + 9'd1;
            enter((rlen != 9'd0) ? RSTART : STOP, 1'b0);
          end else begin
            idx <= idx + 9'd1;
            enter(WDATA, 1'b1);
          end
        RSTART: enter(ADDR_R, 1'b1);
        ADDR_R:
          if (!t_ack) begin
            nack <= 1'b1;
            enter(STOP, 1'b0);
          end else enter(RDATA, 1'b1);
        RDATA: begin
          rbuf[idx[7:2]][{idx[1:0], 3'b000} +: 8] <= t_rdata;
          idx <= idx + 9'd1;
          enter((idx + 9'd1 == rlen) ? STOP : RDATA, (idx + 9'd1 == rlen) ? 1'b0 : 1'b1);
        end
        STOP: begin
          phase <= IDLE;
          done <= 1'b1;
          done_event <= 1'b1;
        end
        default: phase <= IDLE;
      endcase
    end
  end
endmodule
