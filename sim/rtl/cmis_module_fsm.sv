// CMIS module state machine (lower page byte 3 bits 3-1): LowPwr, PwrUp, Ready, PwrDn, Fault.
// Each timed transition takes the duration the plant programmed (the module's real timing, which
// page 01h advertises as an upper bound). Timers count core clocks and report how many edges
// may be skipped (quiet_cycles), so a 500 ms power-up costs the simulator a few evaluations.
module cmis_module_fsm #(
    parameter int TICKS_PER_100US = 800
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] step_cycles,
    input  logic        low_power_request,  // LowPwrS = LowPwrRequestSW | (AllowRequestHW & LPMode)
    input  logic        reset_request,      // SoftwareReset written
    input  logic [3:0]  fault_cause,        // from the plant; 0 = healthy
    input  logic [15:0] power_up_100us,
    input  logic [15:0] power_down_100us,
    output logic [2:0]  state,
    output logic        state_changed,      // one-cycle pulse on every transition
    output logic [31:0] quiet_cycles
);
  localparam logic [2:0] LOW_PWR = 3'd1, PWR_UP = 3'd2, READY = 3'd3, PWR_DN = 3'd4, FAULT = 3'd5;

  logic [31:0] remaining;  // edges until the timed transition, this one included

  function automatic logic [31:0] ticks(input logic [15:0] units_100us);
    return (units_100us == 16'd0) ? 32'd1 : 32'(units_100us) * 32'(TICKS_PER_100US);
  endfunction

  wire timed = (state == PWR_UP || state == PWR_DN);
  assign quiet_cycles = !timed ? 32'hFFFF_FFFF : (remaining > 32'd1) ? remaining - 32'd1 : 32'd1;

  task automatic go(input logic [2:0] next, input logic [31:0] duration);
    state <= next;
    remaining <= duration;
    state_changed <= 1'b1;
  endtask

  always_ff @(posedge clk) begin
    state_changed <= 1'b0;
    if (!rst_n) begin
      state <= LOW_PWR;
      remaining <= 32'd0;
    end else if (reset_request) begin
      go(LOW_PWR, 32'd0);
    end else if (fault_cause != 4'd0 && state != FAULT) begin
      go(FAULT, 32'd0);
    end else begin
      case (state)
        LOW_PWR: if (!low_power_request) go(PWR_UP, ticks(power_up_100us));
        PWR_UP:
          if (low_power_request) go(PWR_DN, ticks(power_down_100us));
          else if (remaining == 32'd1) go(READY, 32'd0);
          else remaining <= remaining - step_cycles;
        READY: if (low_power_request) go(PWR_DN, ticks(power_down_100us));
        PWR_DN:
          if (remaining == 32'd1) go(LOW_PWR, 32'd0);
          else remaining <= remaining - step_cycles;
        default: ;  // FAULT holds until a software reset
      endcase
    end
  end
endmodule
